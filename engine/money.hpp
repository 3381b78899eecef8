// Exact money: amounts are int64 counts of minor units, ratios are int64
// counts of millionths. Parsing never rounds; it refuses.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace matchfund {

using Minor = std::int64_t;  // an amount in minor units
using Wide = __int128;       // products and headrooms that may exceed 64 bits

inline constexpr Minor kMinorMax = std::numeric_limits<Minor>::max();
inline constexpr std::int64_t kRatioScale = 1'000'000;

// A ratio as an exact count of millionths: "1.74" is 1'740'000.
struct Ratio {
  std::int64_t micros = 0;
  friend bool operator==(Ratio, Ratio) = default;
};

// Why a decimal string was refused; the caller turns it into a message with a place.
enum class ParseFailure { syntax, too_many_fraction_digits, overflow };

struct AmountResult {
  Minor value = 0;
  std::optional<ParseFailure> failure;
};
struct RatioResult {
  Ratio value;
  std::optional<ParseFailure> failure;
};

// `^[0-9]+(\.[0-9]+)?$` with at most minor_units fraction digits (SPEC 1).
AmountResult parse_amount(std::string_view text, int minor_units);
// `^[0-9]+(\.[0-9]{1,6})?$`, value * 10^6 fits int64 (SPEC 1, 8).
RatioResult parse_ratio(std::string_view text);

std::string describe(ParseFailure failure, std::string_view text, int minor_units);

// floor(amount * ratio), exact, by a 128-bit division. May exceed int64: the
// caller decides. Both factors are non-negative in the engine. Out of line and
// cold: the hot callers below take the 32-bit case themselves, so that their
// loops keep their registers.
[[gnu::cold, gnu::noinline]] Wide multiply_floor(Minor amount, Ratio ratio);

// Both factors within 32 bits: the product fits 64 bits, where division by
// the constant scale is a multiplication.
inline bool fits_64_bit_product(Minor amount, Ratio ratio) {
  return static_cast<std::uint64_t>(amount) <= 0xFFFFFFFFu && static_cast<std::uint64_t>(ratio.micros) <= 0xFFFFFFFFu;
}
// floor(amount * ratio) when fits_64_bit_product holds; below 2^64 / 10^6.
inline std::uint64_t multiply_floor_64(Minor amount, Ratio ratio) {
  return static_cast<std::uint64_t>(amount) * static_cast<std::uint64_t>(ratio.micros) / kRatioScale;
}

// floor(amount * ratio), saturated at 2^64 - 1.
inline std::uint64_t multiply_floor_saturated(Minor amount, Ratio ratio) {
  if (fits_64_bit_product(amount, ratio)) [[likely]] return multiply_floor_64(amount, ratio);
  const Wide v = multiply_floor(amount, ratio);
  constexpr auto kMost = std::numeric_limits<std::uint64_t>::max();
  return v > kMost ? kMost : static_cast<std::uint64_t>(v);
}

// Exactly minor_units fraction digits, no sign for non-negative values.
std::string format_amount(Minor value, int minor_units);
// Appends the same text to out without allocating when out has capacity.
void append_amount(std::string& out, Minor value, int minor_units);

}  // namespace matchfund
