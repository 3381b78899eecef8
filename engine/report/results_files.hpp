// Reading the files of a sweep results folder for the report. A missing or
// malformed file is an input Error naming it (and the line and column in a CSV).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace matchfund::report {

// The whole file; an input Error when it is missing or not a regular file.
std::string read_results_file(const std::filesystem::path& path);

// The parsed JSON file; an input Error naming the file when it does not parse.
nlohmann::json read_results_json(const std::filesystem::path& path);

// A CSV file with its header and rows (every row as wide as the header).
struct CsvTable {
  std::string label;  // the path, for error messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;  // each row's line in the file

  // Index of the column `name`; an input Error naming the file when absent.
  std::size_t column(const std::string& name) const;
  // The cell as a number; an empty cell is NaN when allow_empty, else an error
  // naming the file, line and column, as is anything else that is not a number.
  double number(std::size_t row, std::size_t column, bool allow_empty = false) const;
};
CsvTable read_results_csv(const std::filesystem::path& path);

// Text as a number, or NaN when it is not entirely one.
double parse_number(const std::string& text);

}  // namespace matchfund::report
