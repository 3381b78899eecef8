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

// multiply_floor past 32-bit factors: a 128-bit division, out of line so that
// the loops calling multiply_floor keep their registers.
[[gnu::cold, gnu::noinline]] Wide multiply_floor_wide(Minor amount, Ratio ratio);

// floor(amount * ratio), exact. May exceed int64: the caller decides.
// Both factors are non-negative in the engine.
inline Wide multiply_floor(Minor amount, Ratio ratio) {
  // The common case fits 64 bits, where division is far cheaper than 128-bit.
  if (static_cast<std::uint64_t>(amount) <= 0xFFFFFFFFu && static_cast<std::uint64_t>(ratio.micros) <= 0xFFFFFFFFu)
    [[likely]] return static_cast<std::uint64_t>(amount) * static_cast<std::uint64_t>(ratio.micros) / kRatioScale;
  return multiply_floor_wide(amount, ratio);
}

// Exactly minor_units fraction digits, no sign for non-negative values.
std::string format_amount(Minor value, int minor_units);
// Appends the same text to out without allocating when out has capacity.
void append_amount(std::string& out, Minor value, int minor_units);

}  // namespace matchfund
