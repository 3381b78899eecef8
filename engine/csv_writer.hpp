// RFC 4180 output fields as SPEC 8 fixes them: quoted if and only if the field
// holds a comma, a quote, CR or LF, with quotes doubled.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace matchfund {

// By byte value: true for the four bytes that make a field need quotes.
inline constexpr std::array<bool, 256> kCsvQuoteBytes = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {',', '"', '\r', '\n'}) table[c] = true;
  return table;
}();

// One table load per byte: ledgers ask this of every donation id, and
// find_first_of costs a memchr over the four bytes per character.
inline bool needs_csv_quotes(std::string_view field) {
  for (char c : field)
    if (kCsvQuoteBytes[static_cast<unsigned char>(c)]) return true;
  return false;
}

inline void append_csv_field(std::string& out, std::string_view field) {
  if (!needs_csv_quotes(field)) {
    out.append(field);
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace matchfund
