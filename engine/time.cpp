#include "engine/time.hpp"

#include <cstdio>
#include <cstring>

namespace matchfund {
namespace {

// Reads exactly n digits at s[pos]; -1 when one is not a digit.
int digits(std::string_view s, std::size_t pos, int n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[pos + k];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// "+HH:MM" or "-HH:MM" at s[pos..pos+6); sets minutes (signed) and zone.
bool offset_at(std::string_view s, std::size_t pos, int& minutes, std::uint8_t& zone) {
  if (s.size() != pos + 6 || (s[pos] != '+' && s[pos] != '-') || s[pos + 3] != ':') return false;
  int hh = digits(s, pos + 1, 2), mm = digits(s, pos + 4, 2);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return false;
  bool negative = s[pos] == '-';
  minutes = (negative ? -1 : 1) * (hh * 60 + mm);
  zone = negative ? 2 : 1;
  return true;
}

// The minute (YYYY-MM-DDTHH:MM) of the last instant parsed, and its first
// second counted from 1970 (before the offset is applied).
struct LastMinute {
  char text[16];
  std::int64_t seconds = 0;
  bool valid = false;
};

}  // namespace

std::optional<ParsedInstant> parse_instant(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  // A stream's times share few minutes: the last valid YYYY-MM-DDTHH:MM is remembered.
  thread_local LastMinute last;
  std::int64_t minute_start = last.seconds;
  if (!last.valid || std::memcmp(last.text, s.data(), sizeof last.text) != 0) {
    int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
    int hour = digits(s, 11, 2), minute = digits(s, 14, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour < 0 ||
        hour > 23 || minute < 0 || minute > 59)
      return std::nullopt;
    minute_start = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                   hour * 3600 + minute * 60;
    std::memcpy(last.text, s.data(), sizeof last.text);
    last.seconds = minute_start;
    last.valid = true;
  }
  const int second = digits(s, 17, 2);
  if (second < 0 || second > 59) return std::nullopt;

  ParsedInstant out;
  std::size_t pos = 19;
  Micros fraction = 0;
  if (s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    std::size_t n = pos - start;
    if (n < 1 || n > 6) return std::nullopt;
    for (std::size_t k = 0; k < 6; ++k) fraction = fraction * 10 + (k < n ? s[start + k] - '0' : 0);
    out.style.fraction_digits = static_cast<std::uint8_t>(n);
  }
  int offset_minutes = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    if (pos + 1 != s.size()) return std::nullopt;
    out.style.zone = 0;
  } else if (!offset_at(s, pos, offset_minutes, out.style.zone)) {
    return std::nullopt;
  }
  out.style.offset_minutes = static_cast<std::int16_t>(offset_minutes);
  std::int64_t seconds = minute_start + second - offset_minutes * 60;
  out.utc = seconds * kMicrosPerSecond + fraction;
  return out;
}

std::string format_instant(Micros utc, TimeStyle style) {
  Micros local = utc + static_cast<Micros>(style.offset_minutes) * 60 * kMicrosPerSecond;
  std::int64_t days = local_day(local, 0);
  Micros in_day = local - days * kMicrosPerDay;
  const CivilDate c = civil_from_days(days);
  std::int64_t secs = in_day / kMicrosPerSecond;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", c.year, c.month, c.day,
                        static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                        static_cast<int>(secs % 60));
  std::string out(buf, static_cast<std::size_t>(n));
  if (style.fraction_digits > 0) {
    std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(in_day % kMicrosPerSecond));
    out += '.';
    out.append(buf, style.fraction_digits);
  }
  if (style.zone == 0) {
    out += 'Z';
  } else {
    int mins = style.offset_minutes < 0 ? -style.offset_minutes : style.offset_minutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", style.zone == 2 ? '-' : '+', mins / 60, mins % 60);
    out += buf;
  }
  return out;
}

std::optional<Micros> parse_utc_offset(std::string_view text) {
  int minutes = 0;
  std::uint8_t zone = 0;
  if (!offset_at(text, 0, minutes, zone)) return std::nullopt;
  return static_cast<Micros>(minutes) * 60 * kMicrosPerSecond;
}

std::optional<Micros> parse_time_of_day(std::string_view s, bool allow_end_of_day) {
  if ((s.size() != 5 && s.size() != 8) || s[2] != ':') return std::nullopt;
  int hh = digits(s, 0, 2), mm = digits(s, 3, 2), ss = 0;
  if (s.size() == 8) {
    if (s[5] != ':') return std::nullopt;
    ss = digits(s, 6, 2);
  }
  if (hh < 0 || mm < 0 || ss < 0) return std::nullopt;
  if (hh == 24 && mm == 0 && ss == 0 && allow_end_of_day) return kMicrosPerDay;
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  return (static_cast<Micros>(hh) * 3600 + mm * 60 + ss) * kMicrosPerSecond;
}

}  // namespace matchfund
