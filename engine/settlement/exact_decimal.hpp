// Exact decimals for settlement inputs (SPEC 7): digits, an optional fraction
// and an optional exponent ("1.83e-06"), read without rounding into a count of
// 10^-18 units.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/money.hpp"

namespace matchfund {

inline constexpr int kExactScaleDigits = 18;

struct ExactDecimalResult {
  Wide scaled = 0;  // value * 10^18
  std::optional<std::string> error;
};

// Parses `^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$` (or without exponent when
// allow_exponent is false) whose value, written as a plain decimal, has at
// most 18 fraction digits and times 10^18 fits a signed 128-bit integer.
ExactDecimalResult parse_exact_decimal(std::string_view text, bool allow_exponent);

}  // namespace matchfund
