// Instants are int64 microseconds since 1970-01-01T00:00:00Z (SPEC 1, 8).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace matchfund {

using Micros = std::int64_t;
inline constexpr Micros kMicrosPerSecond = 1'000'000;
inline constexpr Micros kMicrosPerDay = 86'400 * kMicrosPerSecond;

// How an instant was written, so that it can be printed back exactly as read
// (the summary's exhausted_at) without keeping the text of every row.
struct TimeStyle {
  std::int16_t offset_minutes = 0;  // the written offset
  std::uint8_t fraction_digits = 0; // 0 to 6
  std::uint8_t zone = 0;            // 0: "Z", 1: "+HH:MM", 2: "-HH:MM"
};

struct ParsedInstant {
  Micros utc = 0;
  TimeStyle style;
};

// RFC 3339 as SPEC 8 restricts it; nullopt on anything else.
std::optional<ParsedInstant> parse_instant(std::string_view text);
// Prints `utc` in `style`; the inverse of parse_instant.
std::string format_instant(Micros utc, TimeStyle style);

// "+HH:MM" / "-HH:MM" (no Z) as an offset in microseconds.
std::optional<Micros> parse_utc_offset(std::string_view text);

// "HH:MM" or "HH:MM:SS", HH 00-23; with allow_end_of_day also "24:00" / "24:00:00".
std::optional<Micros> parse_time_of_day(std::string_view text, bool allow_end_of_day);

// Proleptic Gregorian dates <-> days since 1970-01-01 (H. Hinnant's algorithms).
struct CivilDate {
  int year;
  unsigned month, day;
};

constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2)), m, d};
}

// Floor division, so that instants before 1970 fall in the right day.
inline std::int64_t local_day(Micros utc, Micros offset) {
  Micros t = utc + offset;
  std::int64_t d = t / kMicrosPerDay;
  return (t % kMicrosPerDay < 0) ? d - 1 : d;
}
inline Micros local_time_of_day(Micros utc, Micros offset) {
  Micros r = (utc + offset) % kMicrosPerDay;
  return r < 0 ? r + kMicrosPerDay : r;
}

}  // namespace matchfund
