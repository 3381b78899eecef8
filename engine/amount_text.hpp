// The text of an amount (SPEC 8: exactly minor_units fraction digits, a sign
// only when negative) written through a pointer, for writers that fill a
// buffer directly; append_amount (engine/money.hpp) is the same text appended
// to a string.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "engine/money.hpp"

namespace matchfund {

// The longest text for minor_units up to 19: a sign, 20 digits and the point.
inline constexpr std::size_t kMaxAmountChars = 22;

namespace amount_text_detail {

// "00", "01", ..., "99": the text of n < 100 is the two bytes at 2 * n.
inline constexpr std::array<char, 200> kDigitPairs = [] {
  std::array<char, 200> pairs{};
  for (int n = 0; n < 100; ++n) {
    pairs[2 * n] = static_cast<char>('0' + n / 10);
    pairs[2 * n + 1] = static_cast<char>('0' + n % 10);
  }
  return pairs;
}();

inline constexpr std::array<std::uint64_t, 20> kPow10 = [] {
  std::array<std::uint64_t, 20> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

// The number of decimal digits of v, 0 for 0. bit_width * 1233 / 4096 is
// floor(log10(2^bit_width)): the digit count or one less.
inline int decimal_digits(std::uint64_t v) {
  const int guess = (std::bit_width(v) * 1233) >> 12;
  return guess + (v >= kPow10[guess]);
}

}  // namespace amount_text_detail

// Writes the text of `value` at `out` (at most kMaxAmountChars bytes) and
// returns the end of it. minor_units is 0..19.
inline char* write_amount(char* out, Minor value, int minor_units) {
  using namespace amount_text_detail;
  const bool negative = value < 0;
  // The unsigned magnitude, so that INT64_MIN formats correctly.
  std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  // Knowing the length, the digits go right to left straight into place.
  const int digits = std::max(decimal_digits(v), minor_units + 1);
  char* const end = out + (negative ? 1 : 0) + digits + (minor_units > 0 ? 1 : 0);
  char* p = end;
  // Two digits per division by 100, which compiles to a multiplication.
  auto put_pair = [&p](std::uint64_t two_digits) {
    p -= 2;
    std::memcpy(p, &kDigitPairs[2 * two_digits], 2);
  };
  int k = minor_units;
  for (; k >= 2; k -= 2, v /= 100) put_pair(v % 100);
  if (k == 1) {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  if (minor_units > 0) *--p = '.';
  for (; v >= 100; v /= 100) put_pair(v % 100);
  if (v >= 10)
    put_pair(v);
  else
    *--p = static_cast<char>('0' + v);
  if (negative) *--p = '-';
  return end;
}

}  // namespace matchfund
