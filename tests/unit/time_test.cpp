// Instants, offsets and local times (SPEC 1 and 8).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "engine/time.hpp"

namespace matchfund {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr Micros kDay = kMicrosPerDay;

Micros utc_of(const std::string& text) {
  auto t = parse_instant(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t ? t->utc : 0;
}

// ---------------------------------------------------------------- parse_instant

TEST(ParseInstant, EpochAndAKnownInstant) {
  EXPECT_EQ(utc_of("1970-01-01T00:00:00Z"), 0);
  // 2017-09-07T09:00:00+08:00 is 01:00:00Z; Unix time 1504746000 (17416 days
  // after the epoch, plus one hour).
  EXPECT_EQ(utc_of("2017-09-07T09:00:00+08:00"), 1'504'746'000 * kSecond);
  EXPECT_EQ(utc_of("2017-09-07T01:00:00Z"), (17416 * 86400 + 3600) * kSecond);
  // One microsecond before the epoch is negative.
  EXPECT_EQ(utc_of("1969-12-31T23:59:59.999999Z"), -1);
}

TEST(ParseInstant, LeapDaysFollowTheGregorianRules) {
  // 2016 divisible by 4: leap. Unix 1456704000.
  EXPECT_EQ(utc_of("2016-02-29T00:00:00Z"), 1'456'704'000 * kSecond);
  // 2000 divisible by 400: leap. Unix 951782400.
  EXPECT_EQ(utc_of("2000-02-29T00:00:00Z"), 951'782'400 * kSecond);
  // Year 0000 is divisible by 400: leap in the proleptic calendar.
  EXPECT_TRUE(parse_instant("0000-02-29T00:00:00Z").has_value());
  // 2017 is not divisible by 4; 1900 divisible by 100 but not 400.
  EXPECT_FALSE(parse_instant("2017-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("1900-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("2100-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("2016-02-30T00:00:00Z").has_value());
}

TEST(ParseInstant, DatesMustExist) {
  EXPECT_FALSE(parse_instant("2017-04-31T00:00:00Z").has_value());  // April has 30 days
  EXPECT_FALSE(parse_instant("2017-01-32T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("2017-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("2017-00-10T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("2017-01-00T00:00:00Z").has_value());
  EXPECT_TRUE(parse_instant("2017-12-31T00:00:00Z").has_value());
  EXPECT_TRUE(parse_instant("2017-04-30T00:00:00Z").has_value());
}

TEST(ParseInstant, YearsZeroToNineThousandNineHundredNinetyNine) {
  // 0000-01-01 is 719528 days before 1970-01-01 (1969 years of 365 days plus
  // 478 leap days): -719528 * 86400 = -62167219200 s.
  EXPECT_EQ(utc_of("0000-01-01T00:00:00Z"), -62'167'219'200 * kSecond);
  // 9999-12-31T23:59:59Z is Unix 253402300799.
  EXPECT_EQ(utc_of("9999-12-31T23:59:59Z"), 253'402'300'799 * kSecond);
  // Offsets may carry the instant outside those years; the text is still valid.
  EXPECT_EQ(utc_of("0000-01-01T00:00:00+14:00"), (-62'167'219'200 - 14 * 3600) * kSecond);
  EXPECT_EQ(utc_of("9999-12-31T23:59:59.999999-09:30"),
            (253'402'300'799 + 9 * 3600 + 30 * 60) * kSecond + 999'999);
  // Five-digit or signed years are not RFC 3339.
  EXPECT_FALSE(parse_instant("10000-01-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("-001-01-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("+2017-01-01T00:00:00Z").has_value());
}

TEST(ParseInstant, ClockFieldsInRange) {
  EXPECT_TRUE(parse_instant("2017-01-01T23:59:59Z").has_value());
  EXPECT_FALSE(parse_instant("2017-01-01T24:00:00Z").has_value());  // hour 24
  EXPECT_FALSE(parse_instant("2017-01-01T23:60:00Z").has_value());  // minute 60
  EXPECT_FALSE(parse_instant("2017-01-01T23:59:60Z").has_value());  // no leap seconds
  EXPECT_FALSE(parse_instant("2016-12-31T23:59:60Z").has_value());  // not even on a real one
}

TEST(ParseInstant, FractionsOfOneToSixDigits) {
  const Micros base = utc_of("2017-09-07T01:00:00Z");
  struct Case {
    const char* text;
    Micros micros;
    int digits;
  } cases[] = {
      {"2017-09-07T01:00:00.1Z", 100'000, 1},      {"2017-09-07T01:00:00.12Z", 120'000, 2},
      {"2017-09-07T01:00:00.123Z", 123'000, 3},    {"2017-09-07T01:00:00.1234Z", 123'400, 4},
      {"2017-09-07T01:00:00.12345Z", 123'450, 5},  {"2017-09-07T01:00:00.123456Z", 123'456, 6},
      {"2017-09-07T01:00:00.000001Z", 1, 6},       {"2017-09-07T01:00:00.0Z", 0, 1},
      {"2017-09-07T01:00:00.500+00:00", 500'000, 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto t = parse_instant(c.text);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->utc, base + c.micros);
    EXPECT_EQ(t->style.fraction_digits, c.digits);
  }
  EXPECT_FALSE(parse_instant("2017-09-07T01:00:00.1234567Z").has_value());  // 7 digits
  EXPECT_FALSE(parse_instant("2017-09-07T01:00:00.Z").has_value());         // none
  EXPECT_FALSE(parse_instant("2017-09-07T01:00:00,5Z").has_value());        // comma
  EXPECT_FALSE(parse_instant("2017-09-07T01:00:00.5.5Z").has_value());
}

TEST(ParseInstant, UpperCaseTAndZOnly) {
  EXPECT_FALSE(parse_instant("2017-09-07t01:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("2017-09-07T01:00:00z").has_value());
  EXPECT_FALSE(parse_instant("2017-09-07 01:00:00Z").has_value());
  EXPECT_TRUE(parse_instant("2017-09-07T01:00:00Z").has_value());
}

TEST(ParseInstant, Offsets) {
  const Micros utc = utc_of("2017-09-07T12:00:00Z");
  // Local 02:30 at -09:30 is 12:00Z.
  auto west = parse_instant("2017-09-07T02:30:00-09:30");
  ASSERT_TRUE(west);
  EXPECT_EQ(west->utc, utc);
  EXPECT_EQ(west->style.offset_minutes, -570);
  EXPECT_EQ(west->style.zone, 2);
  // Local 02:00 next day at +14:00 is 12:00Z.
  auto east = parse_instant("2017-09-08T02:00:00+14:00");
  ASSERT_TRUE(east);
  EXPECT_EQ(east->utc, utc);
  EXPECT_EQ(east->style.offset_minutes, 14 * 60);
  EXPECT_EQ(east->style.zone, 1);
  // -00:00 means UTC but is remembered as written.
  auto minus_zero = parse_instant("2017-09-07T12:00:00-00:00");
  ASSERT_TRUE(minus_zero);
  EXPECT_EQ(minus_zero->utc, utc);
  EXPECT_EQ(minus_zero->style.offset_minutes, 0);
  EXPECT_EQ(minus_zero->style.zone, 2);
  auto z = parse_instant("2017-09-07T12:00:00Z");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->style.zone, 0);
  // +23:59 is the largest offset.
  auto max = parse_instant("2017-09-08T11:59:00+23:59");
  ASSERT_TRUE(max);
  EXPECT_EQ(max->utc, utc);
}

TEST(ParseInstant, BadOffsetsAndShapes) {
  const char* bad[] = {
      "2017-09-07T12:00:00+24:00",   // offset hour 24
      "2017-09-07T12:00:00-24:00",   //
      "2017-09-07T12:00:00+00:60",   // offset minute 60
      "2017-09-07T12:00:00+0800",    // no colon
      "2017-09-07T12:00:00+08",      // no minutes
      "2017-09-07T12:00:00+8:00",    // one-digit hour
      "2017-09-07T12:00:00",         // no zone at all
      "2017-09-07T12:00:00ZZ",       // trailing text
      "2017-09-07T12:00:00Z ",       //
      " 2017-09-07T12:00:00Z",       //
      "2017-09-07T12:00:00+08:00 ",  //
      "2017-09-07T12:00:00+08:00Z",  //
      "2017-09-07T12:00Z",           // no seconds
      "2017-9-07T12:00:00Z",         // one-digit month
      "17-09-07T12:00:00Z",          // two-digit year
      "2017/09/07T12:00:00Z",        //
      "2017-09-07T12:00:00UTC",      //
      "2017-09-07",                  // date only
      "",                            //
      "2017-09-07T1a:00:00Z",        //
  };
  for (const char* text : bad) EXPECT_FALSE(parse_instant(text).has_value()) << text;
}

// --------------------------------------------------------------- format_instant

TEST(FormatInstant, RoundTripsTheTextExactly) {
  const char* texts[] = {
      "2017-09-07T09:00:00+08:00",        "2017-09-07T09:00:00Z",
      "2017-09-07T09:00:00-00:00",        "2017-09-07T09:00:00+00:00",
      "2017-09-07T09:00:00.5Z",           "2017-09-07T09:00:00.500Z",
      "2017-09-07T09:00:00.000000Z",      "2017-09-07T09:00:00.120000+05:45",
      "2016-02-29T12:34:56.000001-00:00", "2000-02-29T00:00:00.1-09:30",
      "1969-12-31T23:59:59.999999Z",      "1900-01-01T00:00:00+14:00",
      "0000-01-01T00:00:00+14:00",        "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999-09:30", "9999-12-31T23:59:59Z",
      "2017-12-31T23:59:59+23:59",        "2018-01-01T00:00:00-23:59",
  };
  for (const char* text : texts) {
    auto t = parse_instant(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(format_instant(t->utc, t->style), text);
  }
}

TEST(FormatInstant, SameInstantInDifferentStyles) {
  // 2017-09-07T01:00:00.25Z written three ways.
  auto a = parse_instant("2017-09-07T09:00:00.25+08:00");
  ASSERT_TRUE(a);
  TimeStyle z{};  // "Z", no fraction
  EXPECT_EQ(format_instant(a->utc, z), "2017-09-07T01:00:00Z");
  TimeStyle west{-90, 6, 2};
  EXPECT_EQ(format_instant(a->utc, west), "2017-09-06T23:30:00.250000-01:30");
}

// ------------------------------------------------------------- parse_utc_offset

TEST(ParseUtcOffset, SignedHoursAndMinutes) {
  EXPECT_EQ(parse_utc_offset("+08:00"), 8 * kHour);
  EXPECT_EQ(parse_utc_offset("-09:30"), -(9 * kHour + 30 * kMinute));
  EXPECT_EQ(parse_utc_offset("+00:00"), 0);
  EXPECT_EQ(parse_utc_offset("-00:00"), 0);
  EXPECT_EQ(parse_utc_offset("+14:00"), 14 * kHour);
  EXPECT_EQ(parse_utc_offset("+23:59"), 23 * kHour + 59 * kMinute);
  EXPECT_EQ(parse_utc_offset("-05:45"), -(5 * kHour + 45 * kMinute));
}

TEST(ParseUtcOffset, RefusesZAndBadShapes) {
  const char* bad[] = {"Z", "z", "", "08:00", "+8:00", "+08", "+0800", "+08:00:00", "+24:00", "-24:00",
                       "+08:60", "+08:00 ", " +08:00", "UTC", "+08:0", "--8:00"};
  for (const char* text : bad) EXPECT_FALSE(parse_utc_offset(text).has_value()) << text;
}

// ------------------------------------------------------------ parse_time_of_day

TEST(ParseTimeOfDay, HoursMinutesAndSeconds) {
  EXPECT_EQ(parse_time_of_day("00:00", false), 0);
  EXPECT_EQ(parse_time_of_day("09:30", false), 9 * kHour + 30 * kMinute);
  EXPECT_EQ(parse_time_of_day("09:30:15", false), 9 * kHour + 30 * kMinute + 15 * kSecond);
  EXPECT_EQ(parse_time_of_day("23:59:59", false), kDay - kSecond);
  EXPECT_EQ(parse_time_of_day("23:59:59", true), kDay - kSecond);
  EXPECT_EQ(parse_time_of_day("00:00:00", true), 0);
}

TEST(ParseTimeOfDay, TwentyFourOnlyAsAnEnd) {
  EXPECT_EQ(parse_time_of_day("24:00", true), kDay);
  EXPECT_EQ(parse_time_of_day("24:00:00", true), kDay);
  EXPECT_FALSE(parse_time_of_day("24:00", false).has_value());
  EXPECT_FALSE(parse_time_of_day("24:00:00", false).has_value());
  EXPECT_FALSE(parse_time_of_day("24:01", true).has_value());
  EXPECT_FALSE(parse_time_of_day("24:00:01", true).has_value());
  EXPECT_FALSE(parse_time_of_day("25:00", true).has_value());
}

TEST(ParseTimeOfDay, BadShapes) {
  const char* bad[] = {"", "9:00", "09:0", "0900", "09-00", "09:00:0", "09:00:", "23:60", "23:59:60",
                       "09:00 ", "09:00:00.5", "ab:cd", "+9:00", "09:00Z"};
  for (const char* text : bad) {
    EXPECT_FALSE(parse_time_of_day(text, false).has_value()) << text;
    EXPECT_FALSE(parse_time_of_day(text, true).has_value()) << text;
  }
}

// ------------------------------------------------ local_day, local_time_of_day

TEST(LocalClock, DaysFloorTowardsMinusInfinity) {
  EXPECT_EQ(local_day(0, 0), 0);
  EXPECT_EQ(local_day(kDay - 1, 0), 0);
  EXPECT_EQ(local_day(kDay, 0), 1);
  // Just before the epoch is day -1, not day 0 (truncation would say 0).
  EXPECT_EQ(local_day(-1, 0), -1);
  EXPECT_EQ(local_day(-kDay, 0), -1);
  EXPECT_EQ(local_day(-kDay - 1, 0), -2);
  // 0000-01-01T00:00:00Z is day -719528.
  EXPECT_EQ(local_day(utc_of("0000-01-01T00:00:00Z"), 0), -719528);
  EXPECT_EQ(local_day(utc_of("0000-01-01T00:00:00Z") - 1, 0), -719529);
}

TEST(LocalClock, TimeOfDayIsNonNegative) {
  EXPECT_EQ(local_time_of_day(0, 0), 0);
  EXPECT_EQ(local_time_of_day(-1, 0), kDay - 1);
  EXPECT_EQ(local_time_of_day(-kDay, 0), 0);
  EXPECT_EQ(local_time_of_day(kDay + 5, 0), 5);
  EXPECT_EQ(local_time_of_day(utc_of("1969-12-31T18:00:00Z"), 0), 18 * kHour);
}

TEST(LocalClock, OffsetsMoveTheDayBoundary) {
  const Micros plus8 = 8 * kHour;
  // 2017-09-07 is day 17416. 15:59:59Z is 23:59:59 local at +08:00: still Sep 7.
  const Micros before = utc_of("2017-09-07T15:59:59Z");
  EXPECT_EQ(local_day(before, plus8), 17416);
  EXPECT_EQ(local_time_of_day(before, plus8), kDay - kSecond);
  // 16:00:00Z is local midnight of Sep 8.
  const Micros after = utc_of("2017-09-07T16:00:00Z");
  EXPECT_EQ(local_day(after, plus8), 17417);
  EXPECT_EQ(local_time_of_day(after, plus8), 0);
  // The offset written in the text does not matter, only the one passed in.
  EXPECT_EQ(local_day(utc_of("2017-09-08T00:00:00+08:00"), 0), 17416);

  // Negative offset at the epoch: 1970-01-01T00:00Z is 1969-12-31T23:00 at -01:00.
  EXPECT_EQ(local_day(0, -kHour), -1);
  EXPECT_EQ(local_time_of_day(0, -kHour), 23 * kHour);
  // And at -09:30, 09:29:59.999999Z is still the previous local day.
  const Micros offset = -(9 * kHour + 30 * kMinute);
  const Micros t = utc_of("2017-09-07T09:29:59.999999Z");
  EXPECT_EQ(local_day(t, offset), 17415);
  EXPECT_EQ(local_time_of_day(t, offset), kDay - 1);
  EXPECT_EQ(local_day(t + 1, offset), 17416);
  EXPECT_EQ(local_time_of_day(t + 1, offset), 0);
  // Positive offset before the epoch: -2h at +01:00 is 23:00 of day -1.
  EXPECT_EQ(local_day(-2 * kHour, kHour), -1);
  EXPECT_EQ(local_time_of_day(-2 * kHour, kHour), 23 * kHour);
}

}  // namespace
}  // namespace matchfund
