// Civil dates <-> days since 1970-01-01 (H. Hinnant's algorithms), and the
// RFC 3339 local times the rules file is written with.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace matchfund::gen {

constexpr std::int64_t kMsPerDay = 86'400'000;

constexpr std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
  int year;
  unsigned month, day;
};

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

// "+08:00" / "-05:00".
inline std::string offset_text(int offset_minutes) {
  char buf[24];
  const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

// The local time `seconds` after local midnight of day `local_day` (days since
// 1970-01-01 on the local clock), as RFC 3339 with the offset: seconds may
// reach 86400 or more (the next day).
inline std::string local_rfc3339(std::int64_t local_day, std::int64_t seconds, int offset_minutes) {
  local_day += seconds / 86400;
  seconds %= 86400;
  const CivilDate c = civil_from_days(local_day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%s", c.year, c.month, c.day,
                static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60),
                offset_text(offset_minutes).c_str());
  return buf;
}

}  // namespace matchfund::gen
