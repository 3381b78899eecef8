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

// Whether any byte of `bytes` would make a field need quotes. No early exit,
// and byte-wide masks rather than bools, so that it compiles to vector code
// (g++ 12 leaves the bool form scalar): a ledger asks it once for a whole
// block of ids, and skips needs_csv_quotes for each when none does.
inline bool any_needs_csv_quotes(std::string_view bytes) {
  auto mask = [](bool b) { return static_cast<unsigned char>(-static_cast<int>(b)); };
  unsigned char any = 0;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    any |= mask(c == ',') | mask(c == '"') | mask(c == '\r') | mask(c == '\n');
  }
  return any != 0;
}

// Writes `field` quoted, its quotes doubled, at `out` (at most
// 2 * field.size() + 2 bytes) and returns the end of it.
inline char* write_csv_quoted(char* out, std::string_view field) {
  *out++ = '"';
  for (char c : field) {
    if (c == '"') *out++ = '"';
    *out++ = c;
  }
  *out++ = '"';
  return out;
}

inline void append_csv_field(std::string& out, std::string_view field) {
  if (!needs_csv_quotes(field)) {
    out.append(field);
    return;
  }
  const std::size_t start = out.size();
  out.resize(start + 2 * field.size() + 2);
  out.resize(static_cast<std::size_t>(write_csv_quoted(out.data() + start, field) - out.data()));
}

}  // namespace matchfund
