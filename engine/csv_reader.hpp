// RFC 4180 records from an in-memory file, with the corner rules of SPEC 8:
// empty lines skipped, line numbers of the physical line a record starts on,
// strict quoting, CRLF or LF, a leading UTF-8 byte-order mark skipped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace matchfund {

class CsvReader {
 public:
  // `label` names the file in error messages; `text` must outlive the reader.
  CsvReader(std::string_view text, std::string label);

  // Reads on from `offset`, a record's start, counting the physical line
  // there as `line`, and ends (next() returns false) at the first record
  // starting at or past `stop`: for reading a file in stretches.
  void restart(std::size_t offset, std::size_t line, std::size_t stop);

  // Moves to the next non-empty record; false at the end of the file (or at
  // the stop that restart set).
  // Throws an input Error naming the record's first line on a quoting or
  // line-end fault, on bytes that are not UTF-8, or on a record longer than
  // input_limits().max_line_bytes.
  bool next();

  // Fields of the current record; valid until the next call to next().
  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line() const { return record_line_; }
  // Where the next record starts: the text before it is no longer read.
  std::size_t offset() const { return pos_; }
  // The physical line that offset() is on.
  std::size_t physical_line() const { return physical_line_; }
  const std::string& label() const { return label_; }

  // Throws an input Error: "<label>, line <line>, column <column>: <message>".
  [[noreturn]] void fail(std::size_t line, std::string_view column, const std::string& message) const;
  [[noreturn]] void fail_line(std::size_t line, const std::string& message) const;

 private:
  struct FieldSpan {
    std::size_t begin;
    std::size_t length;
    bool in_scratch;
  };

  // The common record, read in one pass: no quotes or carriage returns, all
  // ASCII, ending in a line feed within the size limit. Sets the fields and
  // moves past it, or returns false having changed nothing that the general
  // path does not set again.
  bool next_simple();
  [[noreturn]] void fail_too_long() const;
  // A fault found where the scan stopped: the real fault when the scan was
  // capped at the record size limit is the record's length.
  [[noreturn]] void fail_at_end(bool capped, const std::string& message) const;

  std::string_view text_;
  std::string label_;
  std::size_t pos_ = 0;
  std::size_t physical_line_ = 1;
  std::size_t record_line_ = 0;
  std::size_t stop_;              // no record starts at or past this
  std::size_t max_record_bytes_;  // input_limits().max_line_bytes
  std::vector<FieldSpan> spans_;
  std::vector<std::string_view> fields_;
  std::string scratch_;  // unescaped copies of quoted fields that held ""
};

// Finds the columns of a header by exact name. Throws an input Error when a
// required name is missing or a known name repeats.
class CsvHeader {
 public:
  CsvHeader(const CsvReader& reader, const std::vector<std::string_view>& known);
  // Index of `name` in the record, or -1 when the header lacks it.
  int column(std::string_view name) const;
  void require(const CsvReader& reader, std::string_view name) const;
  std::size_t width() const { return width_; }

 private:
  std::vector<std::pair<std::string, int>> columns_;  // copies: header views do not outlive the record
  std::size_t width_ = 0;
};

// Throws an input Error naming the column when an id or name field is longer
// than input_limits().max_id_bytes.
void check_id_length(const CsvReader& reader, std::string_view value, std::string_view column);

// Throws an input Error for a record whose field count differs from the header's.
void check_field_count(const CsvReader& reader, std::size_t expected);

// Index of the first byte that is not part of valid UTF-8, or npos.
std::size_t find_invalid_utf8(std::string_view text);

}  // namespace matchfund
