// The RFC 3339 local times the rules file is written with (civil dates come
// from engine/time.hpp).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "engine/time.hpp"

namespace matchfund::gen {

constexpr std::int64_t kMsPerDay = 86'400'000;

using matchfund::CivilDate;
using matchfund::civil_from_days;
using matchfund::days_from_civil;

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
