#include "engine/settlement/exact_decimal.hpp"

#include <limits>

#include "engine/text.hpp"

namespace matchfund {

ExactDecimalResult parse_exact_decimal(std::string_view text, bool allow_exponent) {
  ExactDecimalResult r;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0;
  std::string digits;  // integer and fraction digits together
  while (i < text.size() && is_digit(text[i])) digits += text[i++];
  const std::size_t whole_digits = digits.size();
  long exponent = 0;
  bool ok = whole_digits > 0;
  if (ok && i < text.size() && text[i] == '.') {
    std::size_t start = ++i;
    while (i < text.size() && is_digit(text[i])) digits += text[i++];
    ok = i > start;
  }
  exponent = -static_cast<long>(digits.size() - whole_digits);
  if (ok && allow_exponent && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    std::size_t start = i;
    long e = 0;
    while (i < text.size() && is_digit(text[i])) {
      if (e < 100000) e = e * 10 + (text[i] - '0');
      ++i;
    }
    ok = i > start;
    exponent += negative ? -e : e;
  }
  if (!ok || i != text.size()) {
    r.error = quote(text) + " is not a decimal number" + (allow_exponent ? " (digits, optional fraction, optional exponent)" : "");
    return r;
  }
  // Drop trailing zeros of the digit string: the limit is on the value.
  while (!digits.empty() && digits.back() == '0' && exponent < 0) {
    digits.pop_back();
    ++exponent;
  }
  if (exponent < -kExactScaleDigits) {
    r.error = quote(text) + " has more than 18 fraction digits";
    return r;
  }
  constexpr Wide kMax = std::numeric_limits<Wide>::max();
  Wide v = 0;
  const long shift = exponent + kExactScaleDigits;  // >= 0: zeros to append
  auto push = [&](int d) {
    if (v > (kMax - d) / 10) return false;
    v = v * 10 + d;
    return true;
  };
  bool fits = true;
  for (char c : digits) fits = fits && push(c - '0');
  for (long k = 0; k < shift && fits && v != 0; ++k) fits = push(0);
  if (!fits) {
    r.error = quote(text) + " is too large (its value times 10^18 must fit a signed 128-bit integer)";
    return r;
  }
  r.scaled = v;
  return r;
}

}  // namespace matchfund
