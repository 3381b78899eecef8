#include "engine/csv_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include <emmintrin.h>

#include "engine/error.hpp"
#include "engine/limits.hpp"
#include "engine/text.hpp"

namespace matchfund {
namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080u;

// The first position at or after pos holding ',', '\n', '\r' or '"' (n when none):
// the end of an unquoted field, sixteen bytes at a time (SSE2 is part of x86-64).
std::size_t find_field_end(const char* data, std::size_t pos, std::size_t n) {
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  for (; pos + 16 <= n; pos += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return pos + static_cast<std::size_t>(std::countr_zero(mask));
  }
  while (pos < n && data[pos] != ',' && data[pos] != '\n' && data[pos] != '\r' && data[pos] != '"') ++pos;
  return pos;
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time: nearly all of a typical file.
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

CsvReader::CsvReader(std::string_view text, std::string label)
    : text_(text), label_(std::move(label)), stop_(text.size()), max_record_bytes_(input_limits().max_line_bytes) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

void CsvReader::restart(std::size_t offset, std::size_t line, std::size_t stop) {
  pos_ = offset;
  physical_line_ = line;
  stop_ = stop;
}

void CsvReader::fail(std::size_t line, std::string_view column, const std::string& message) const {
  throw Error(ErrorKind::input,
              label_ + ", line " + std::to_string(line) + ", column " + std::string(column) + ": " + message);
}

void CsvReader::fail_line(std::size_t line, const std::string& message) const {
  throw Error(ErrorKind::input, label_ + ", line " + std::to_string(line) + ": " + message);
}

void CsvReader::fail_too_long() const {
  fail_line(record_line_, "the record is longer than the limit of " + std::to_string(max_record_bytes_) +
                              " bytes (max_line_bytes, docs/reliability.md)");
}

void CsvReader::fail_at_end(bool capped, const std::string& message) const {
  if (capped) fail_too_long();
  fail_line(record_line_, message);
}

bool CsvReader::next() {
  const char* data = text_.data();
  if (pos_ >= stop_) return false;
  {
    const std::size_t end = text_.size();
    // Skip empty lines.
    while (pos_ < end) {
      if (data[pos_] == '\n') {
        ++pos_;
        ++physical_line_;
      } else if (data[pos_] == '\r' && pos_ + 1 < end && data[pos_ + 1] == '\n') {
        pos_ += 2;
        ++physical_line_;
      } else {
        break;
      }
    }
    if (pos_ >= end) return false;
  }

  record_line_ = physical_line_;
  const std::size_t record_start = pos_;
  if (next_simple()) return true;
  // Scan no further than one byte past the limit: a record that has not ended
  // by then is refused without reading the rest (of a mapped file, say).
  const bool capped = max_record_bytes_ < text_.size() - record_start;
  const std::size_t n = capped ? record_start + max_record_bytes_ + 1 : text_.size();
  spans_.clear();
  scratch_.clear();
  for (;;) {
    std::size_t field_number = spans_.size() + 1;
    if (pos_ < n && data[pos_] == '"') {
      // Quoted field: runs to the closing quote; "" is one quote.
      std::size_t start = ++pos_;
      bool escaped = false;
      for (;;) {
        const void* q = pos_ < n ? std::memchr(data + pos_, '"', n - pos_) : nullptr;
        if (!q) fail_at_end(capped, "field " + std::to_string(field_number) + " has an unclosed quote");
        std::size_t qpos = static_cast<const char*>(q) - data;
        physical_line_ += static_cast<std::size_t>(std::count(data + pos_, data + qpos, '\n'));
        pos_ = qpos + 1;
        if (pos_ < n && data[pos_] == '"') {
          escaped = true;
          ++pos_;
          continue;
        }
        break;
      }
      std::size_t end = pos_ - 1;  // the closing quote
      if (escaped) {
        std::size_t at = scratch_.size();
        for (std::size_t i = start; i < end; ++i) {
          scratch_ += data[i];
          if (data[i] == '"') ++i;  // skip the second quote of a pair
        }
        spans_.push_back({at, scratch_.size() - at, true});
      } else {
        spans_.push_back({start, end - start, false});
      }
      if (pos_ < n && data[pos_] != ',' && data[pos_] != '\n' && data[pos_] != '\r')
        fail_line(record_line_, "characters after the closing quote of field " + std::to_string(field_number));
    } else {
      std::size_t start = pos_;
      pos_ = find_field_end(data, pos_, n);
      if (pos_ < n && data[pos_] == '"')
        fail_line(record_line_, "a quote inside field " + std::to_string(field_number) +
                                    ", which does not start with a quote");
      spans_.push_back({start, pos_ - start, false});
    }
    if (pos_ >= n) {
      if (capped) fail_too_long();
      break;
    }
    char c = data[pos_];
    if (c == ',') {
      ++pos_;
      continue;
    }
    if (c == '\r') {
      if (pos_ + 1 >= n || data[pos_ + 1] != '\n') fail_at_end(capped, "a carriage return not followed by a line feed");
      pos_ += 2;
    } else {
      ++pos_;  // '\n'
    }
    ++physical_line_;
    break;
  }
  if (pos_ - record_start > max_record_bytes_) fail_too_long();
  if (find_invalid_utf8(text_.substr(record_start, pos_ - record_start)) != std::string_view::npos)
    fail_line(record_line_, "bytes that are not valid UTF-8");
  fields_.clear();
  for (const FieldSpan& s : spans_)
    fields_.push_back(s.in_scratch ? std::string_view(scratch_).substr(s.begin, s.length)
                                   : text_.substr(s.begin, s.length));
  return true;
}

bool CsvReader::next_simple() {
  const char* data = text_.data();
  const std::size_t record_start = pos_;
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  fields_.clear();
  std::size_t field_start = record_start;
  // Whole chunks only: the last bytes of the file take the general path.
  for (std::size_t chunk = record_start; chunk + 16 <= text_.size(); chunk += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + chunk));
    unsigned separators = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
    const unsigned line_ends = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)));
    // Quotes, carriage returns and bytes past ASCII (the sign bits) need the general path.
    unsigned others = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
                          _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)), v)));
    if (line_ends != 0) {
      const unsigned before_end = (line_ends & -line_ends) - 1;  // the bits below the first line feed
      separators &= before_end;
      others &= before_end;
    }
    if (others != 0) break;
    for (; separators != 0; separators &= separators - 1) {
      const std::size_t at = chunk + static_cast<std::size_t>(std::countr_zero(separators));
      fields_.push_back(text_.substr(field_start, at - field_start));
      field_start = at + 1;
    }
    if (line_ends != 0) {
      const std::size_t end = chunk + static_cast<std::size_t>(std::countr_zero(line_ends));
      if (end + 1 - record_start > max_record_bytes_) break;  // the general path names the fault
      fields_.push_back(text_.substr(field_start, end - field_start));
      pos_ = end + 1;
      ++physical_line_;
      return true;
    }
    if (chunk + 16 - record_start > max_record_bytes_) break;
  }
  return false;
}

CsvHeader::CsvHeader(const CsvReader& reader, const std::vector<std::string_view>& known) {
  const auto& names = reader.fields();
  width_ = names.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (std::find(known.begin(), known.end(), names[i]) == known.end()) continue;
    if (column(names[i]) >= 0)
      reader.fail(reader.line(), names[i], "the header names column " + quote(names[i]) + " twice");
    columns_.emplace_back(std::string(names[i]), static_cast<int>(i));
  }
}

int CsvHeader::column(std::string_view name) const {
  for (const auto& [n, i] : columns_)
    if (n == name) return i;
  return -1;
}

void CsvHeader::require(const CsvReader& reader, std::string_view name) const {
  if (column(name) < 0)
    reader.fail(reader.line(), name, "the header has no column " + quote(name));
}

void check_id_length(const CsvReader& reader, std::string_view value, std::string_view column) {
  const std::size_t limit = input_limits().max_id_bytes;
  if (value.size() > limit)
    reader.fail(reader.line(), column,
                "the value is " + std::to_string(value.size()) + " bytes long, more than the limit of " +
                    std::to_string(limit) + " bytes (max_id_bytes, docs/reliability.md)");
}

void check_field_count(const CsvReader& reader, std::size_t expected) {
  if (reader.fields().size() != expected)
    reader.fail_line(reader.line(), "expected " + std::to_string(expected) + " fields as in the header, found " +
                                        std::to_string(reader.fields().size()));
}

}  // namespace matchfund
