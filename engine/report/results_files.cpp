#include "engine/report/results_files.hpp"

#include <charconv>
#include <cmath>

#include "engine/csv_reader.hpp"
#include "engine/error.hpp"
#include "engine/file_io.hpp"

namespace matchfund::report {

namespace fs = std::filesystem;

std::string read_results_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw Error(ErrorKind::input, path.string() + ": missing (not a sweep results folder?)");
  return read_file(path.string());
}

nlohmann::json read_results_json(const fs::path& path) {
  try {
    return nlohmann::json::parse(read_results_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::input, path.string() + ": not valid JSON (" + e.what() + ")");
  }
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t c = 0; c < header.size(); ++c)
    if (header[c] == name) return c;
  throw Error(ErrorKind::input, label + ": no column '" + name + "'");
}

double CsvTable::number(std::size_t row, std::size_t column, bool allow_empty) const {
  const std::string& cell = rows[row][column];
  if (cell.empty() && allow_empty) return std::nan("");
  const double v = parse_number(cell);
  if (std::isnan(v))
    throw Error(ErrorKind::input, label + ", line " + std::to_string(lines[row]) + ", column " + header[column] +
                                      ": '" + cell + "' is not a number");
  return v;
}

CsvTable read_results_csv(const fs::path& path) {
  CsvTable table;
  table.label = path.string();
  const std::string text = read_results_file(path);
  CsvReader reader(text, table.label);
  if (!reader.next()) throw Error(ErrorKind::input, table.label + ": empty (no header)");
  for (std::string_view f : reader.fields()) table.header.emplace_back(f);
  while (reader.next()) {
    check_field_count(reader, table.header.size());
    table.rows.emplace_back(reader.fields().begin(), reader.fields().end());
    table.lines.push_back(reader.line());
  }
  return table;
}

double parse_number(const std::string& text) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nan("");
  return v;
}

}  // namespace matchfund::report
