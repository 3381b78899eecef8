#include "engine/money.hpp"

#include "engine/amount_text.hpp"
#include "engine/text.hpp"

namespace matchfund {

Wide multiply_floor(Minor amount, Ratio ratio) { return static_cast<Wide>(amount) * ratio.micros / kRatioScale; }

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Decimal {
  std::string_view whole;
  std::string_view fraction;  // empty when there is no point
  bool ok = false;
};

// Splits `^[0-9]+(\.[0-9]+)?$`; ok is false on anything else.
Decimal split_decimal(std::string_view text) {
  Decimal d;
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == 0) return d;
  d.whole = text.substr(0, i);
  if (i == text.size()) {
    d.ok = true;
    return d;
  }
  if (text[i] != '.') return d;
  std::size_t j = i + 1;
  while (j < text.size() && is_digit(text[j])) ++j;
  if (j == i + 1 || j != text.size()) return d;
  d.fraction = text.substr(i + 1);
  d.ok = true;
  return d;
}

// whole * 10^scale + fraction padded to scale digits; false on int64 overflow.
bool scaled_value(const Decimal& d, int scale, std::int64_t& out) {
  Wide v = 0;
  constexpr Wide limit = kMinorMax;
  for (char c : d.whole) {
    v = v * 10 + (c - '0');
    if (v > limit) return false;
  }
  for (int k = 0; k < scale; ++k) {
    int digit = k < static_cast<int>(d.fraction.size()) ? d.fraction[k] - '0' : 0;
    v = v * 10 + digit;
    if (v > limit) return false;
  }
  out = static_cast<std::int64_t>(v);
  return true;
}

}  // namespace

AmountResult parse_amount(std::string_view text, int minor_units) {
  AmountResult r;
  Decimal d = split_decimal(text);
  if (!d.ok) {
    r.failure = ParseFailure::syntax;
  } else if (static_cast<int>(d.fraction.size()) > minor_units) {
    r.failure = ParseFailure::too_many_fraction_digits;
  } else if (!scaled_value(d, minor_units, r.value)) {
    r.failure = ParseFailure::overflow;
  }
  return r;
}

RatioResult parse_ratio(std::string_view text) {
  RatioResult r;
  Decimal d = split_decimal(text);
  if (!d.ok) {
    r.failure = ParseFailure::syntax;
  } else if (d.fraction.size() > 6) {
    r.failure = ParseFailure::too_many_fraction_digits;
  } else if (!scaled_value(d, 6, r.value.micros)) {
    r.failure = ParseFailure::overflow;
  }
  return r;
}

std::string describe(ParseFailure failure, std::string_view text, int minor_units) {
  std::string quoted = quote(text);
  switch (failure) {
    case ParseFailure::syntax:
      return quoted + " is not a plain decimal number (digits, optionally a point and more digits)";
    case ParseFailure::too_many_fraction_digits:
      return quoted + " has more than " + std::to_string(minor_units) + " fraction digits";
    case ParseFailure::overflow:
      return quoted + " is too large (it must fit a signed 64-bit count of minor units)";
  }
  return quoted;
}

void append_amount(std::string& out, Minor value, int minor_units) {
  char buf[kMaxAmountChars];
  const char* end = write_amount(buf, value, minor_units);
  out.append(buf, end - buf);
}

std::string format_amount(Minor value, int minor_units) {
  std::string s;
  append_amount(s, value, minor_units);
  return s;
}

}  // namespace matchfund
