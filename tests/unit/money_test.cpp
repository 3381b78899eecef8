// Exact money (SPEC 1 and 8): amounts are int64 counts of minor units, ratios
// int64 counts of millionths; parsing refuses rather than rounds.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "engine/money.hpp"
#include "policies/policy.hpp"

namespace matchfund {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();  // 9223372036854775807

std::int64_t pow10(int n) {
  std::int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// The decimal text of a non-negative 128-bit value, so products above 64 bits
// can be compared against expected values written out by hand.
std::string wide_to_string(Wide v) {
  if (v == 0) return "0";
  std::string s;
  bool negative = v < 0;
  unsigned __int128 u = negative ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
  while (u != 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return negative ? "-" + s : s;
}

// Writes the count of minor units `digits` (a decimal string of the count) as a
// major-unit amount with exactly minor_units fraction digits, by moving the
// point: "9223372036854775807" at 2 is "92233720368547758.07".
std::string as_major(const std::string& digits, int minor_units) {
  if (minor_units == 0) return digits;
  return digits.substr(0, digits.size() - minor_units) + "." + digits.substr(digits.size() - minor_units);
}

// ---------------------------------------------------------------- parse_amount

TEST(ParseAmount, SameValueWhateverTheNumberOfFractionDigits) {
  // "5", "5.5" and "5.50" at minor_units 2: 500, 550, 550 minor units.
  AmountResult five = parse_amount("5", 2);
  AmountResult five_half = parse_amount("5.5", 2);
  AmountResult five_fifty = parse_amount("5.50", 2);
  ASSERT_FALSE(five.failure);
  ASSERT_FALSE(five_half.failure);
  ASSERT_FALSE(five_fifty.failure);
  EXPECT_EQ(five.value, 500);
  EXPECT_EQ(five_half.value, 550);
  EXPECT_EQ(five_fifty.value, 550);
}

TEST(ParseAmount, ScalesByMinorUnitsZeroToSix) {
  for (int mu = 0; mu <= 6; ++mu) {
    SCOPED_TRACE("minor_units " + std::to_string(mu));
    // "5" is 5 major units: 5 * 10^mu minor units.
    AmountResult whole = parse_amount("5", mu);
    ASSERT_FALSE(whole.failure);
    EXPECT_EQ(whole.value, 5 * pow10(mu));
    // "0" is zero at every scale (positivity is the caller's check).
    AmountResult zero = parse_amount("0", mu);
    ASSERT_FALSE(zero.failure);
    EXPECT_EQ(zero.value, 0);
    if (mu >= 1) {
      // "5.5" is 55 tenths: 55 * 10^(mu-1) minor units.
      AmountResult half = parse_amount("5.5", mu);
      ASSERT_FALSE(half.failure);
      EXPECT_EQ(half.value, 55 * pow10(mu - 1));
    } else {
      AmountResult half = parse_amount("5.5", mu);
      ASSERT_TRUE(half.failure);
      EXPECT_EQ(*half.failure, ParseFailure::too_many_fraction_digits);
    }
    // Exactly mu fraction digits "0.00..01" is one minor unit.
    if (mu >= 1) {
      std::string one = "0." + std::string(mu - 1, '0') + "1";
      AmountResult r = parse_amount(one, mu);
      ASSERT_FALSE(r.failure) << one;
      EXPECT_EQ(r.value, 1) << one;
      // One digit more than allowed is refused, even when it is a zero.
      AmountResult longer = parse_amount(one + "0", mu);
      ASSERT_TRUE(longer.failure) << one << "0";
      EXPECT_EQ(*longer.failure, ParseFailure::too_many_fraction_digits);
    }
  }
}

TEST(ParseAmount, FractionLimitCountsDigitsNotValue) {
  // SPEC 8: "5.500" has 3 fraction digits: refused at minor_units 2 although its
  // value 5.5 is representable.
  AmountResult r = parse_amount("5.500", 2);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(*r.failure, ParseFailure::too_many_fraction_digits);
  AmountResult zeros = parse_amount("5.000", 2);
  ASSERT_TRUE(zeros.failure);
  EXPECT_EQ(*zeros.failure, ParseFailure::too_many_fraction_digits);
  // At minor_units 3 the same text is fine: 5500 thousandths.
  AmountResult three = parse_amount("5.500", 3);
  ASSERT_FALSE(three.failure);
  EXPECT_EQ(three.value, 5500);
  // At minor_units 0 any point at all is too many digits.
  AmountResult none = parse_amount("5.0", 0);
  ASSERT_TRUE(none.failure);
  EXPECT_EQ(*none.failure, ParseFailure::too_many_fraction_digits);
}

TEST(ParseAmount, RefusesAnythingButPlainDigits) {
  // Each breaks `^[0-9]+(\.[0-9]+)?$`: signs, exponents, spaces, empty, a bare
  // point on either side, other separators, non-ASCII digits.
  const char* bad[] = {"",      "+5",   "-5",    "-0",    "5e2",  "5E2",   "5e-2",  " 5",   "5 ",
                       "5. 5",  " ",    ".5",    "5.",    ".",    "5,5",   "5..5",  "5.5.5", "0x10",
                       "1_000", "1 000", "inf",  "NaN",   "５",   "\xd9\xa5", "5\n",  "\t5",   "5.-1"};
  for (const char* text : bad) {
    SCOPED_TRACE(std::string("text \"") + text + "\"");
    AmountResult r = parse_amount(text, 2);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(*r.failure, ParseFailure::syntax);
  }
}

TEST(ParseAmount, LeadingZerosAreDigitsLikeAnyOther) {
  // The grammar allows leading zeros; they add no value and cannot overflow.
  AmountResult r = parse_amount("007.5", 2);
  ASSERT_FALSE(r.failure);
  EXPECT_EQ(r.value, 750);
  AmountResult many = parse_amount(std::string(40, '0') + "1", 0);
  ASSERT_FALSE(many.failure);
  EXPECT_EQ(many.value, 1);
}

TEST(ParseAmount, Int64MaxExactlyAcceptedAndOneMinorUnitMoreRefused) {
  // kMax = 9223372036854775807 minor units; written in major units by moving
  // the point mu places. One more minor unit is 9223372036854775808.
  for (int mu = 0; mu <= 6; ++mu) {
    SCOPED_TRACE("minor_units " + std::to_string(mu));
    std::string max_text = as_major("9223372036854775807", mu);
    AmountResult max = parse_amount(max_text, mu);
    ASSERT_FALSE(max.failure) << max_text;
    EXPECT_EQ(max.value, kMax);
    std::string over_text = as_major("9223372036854775808", mu);
    AmountResult over = parse_amount(over_text, mu);
    ASSERT_TRUE(over.failure) << over_text;
    EXPECT_EQ(*over.failure, ParseFailure::overflow);
  }
  // A whole part that fits int64 but not once scaled: 92233720368547759 major
  // units at minor_units 2 is 9223372036854775900 minor units.
  AmountResult scaled = parse_amount("92233720368547759", 2);
  ASSERT_TRUE(scaled.failure);
  EXPECT_EQ(*scaled.failure, ParseFailure::overflow);
  // Far past 64 bits (and past 128 bits): still overflow, never wrapped.
  AmountResult huge = parse_amount(std::string(60, '9'), 0);
  ASSERT_TRUE(huge.failure);
  EXPECT_EQ(*huge.failure, ParseFailure::overflow);
  // 2^64 + 5 would wrap to 5 in 64-bit arithmetic.
  AmountResult wrap = parse_amount("18446744073709551621", 0);
  ASSERT_TRUE(wrap.failure);
  EXPECT_EQ(*wrap.failure, ParseFailure::overflow);
}

TEST(ParseAmount, DescribeNamesTheTextAndTheLimit) {
  std::string digits = describe(ParseFailure::too_many_fraction_digits, "5.500", 2);
  EXPECT_NE(digits.find("\"5.500\""), std::string::npos) << digits;
  EXPECT_NE(digits.find('2'), std::string::npos) << digits;
  std::string syntax = describe(ParseFailure::syntax, "-5", 2);
  EXPECT_NE(syntax.find("\"-5\""), std::string::npos) << syntax;
  std::string overflow = describe(ParseFailure::overflow, "99999999999999999999", 2);
  EXPECT_NE(overflow.find("\"99999999999999999999\""), std::string::npos) << overflow;
  // The three failures read differently for the same text.
  std::string a = describe(ParseFailure::syntax, "7", 2);
  std::string b = describe(ParseFailure::too_many_fraction_digits, "7", 2);
  std::string c = describe(ParseFailure::overflow, "7", 2);
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_NE(a, c);
}

// ----------------------------------------------------------------- parse_ratio

TEST(ParseRatio, ExactMillionths) {
  struct Case {
    const char* text;
    std::int64_t micros;
  } cases[] = {
      {"1.74", 1'740'000},      // 174/100
      {"0", 0},                 //
      {"1", 1'000'000},         //
      {"0.5", 500'000},         //
      {"0.000001", 1},          // the finest step
      {"2.123456", 2'123'456},  // six fraction digits
      {"10", 10'000'000},       //
      {"007.50", 7'500'000},    // leading zeros and a trailing zero
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    RatioResult r = parse_ratio(c.text);
    ASSERT_FALSE(r.failure);
    EXPECT_EQ(r.value.micros, c.micros);
  }
}

TEST(ParseRatio, SevenFractionDigitsRefused) {
  RatioResult r = parse_ratio("1.1234567");
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(*r.failure, ParseFailure::too_many_fraction_digits);
  // Even when the seventh digit is a zero: digits are counted.
  RatioResult zero = parse_ratio("1.0000000");
  ASSERT_TRUE(zero.failure);
  EXPECT_EQ(*zero.failure, ParseFailure::too_many_fraction_digits);
}

TEST(ParseRatio, RefusesAnythingButPlainDigits) {
  const char* bad[] = {"", "-1", "+1", "1e2", "1E-2", ".5", "1.", " 1", "1 ", "1,5", "1/2", "0x1", "NaN"};
  for (const char* text : bad) {
    SCOPED_TRACE(std::string("text \"") + text + "\"");
    RatioResult r = parse_ratio(text);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(*r.failure, ParseFailure::syntax);
  }
}

TEST(ParseRatio, OverflowWhenValueTimesMillionExceedsInt64) {
  // kMax / 10^6 = 9223372036854.775807: the largest ratio, exactly kMax micros.
  RatioResult max = parse_ratio("9223372036854.775807");
  ASSERT_FALSE(max.failure);
  EXPECT_EQ(max.value.micros, kMax);
  // One millionth more does not fit.
  RatioResult over = parse_ratio("9223372036854.775808");
  ASSERT_TRUE(over.failure);
  EXPECT_EQ(*over.failure, ParseFailure::overflow);
  // A whole part that fits int64 but not times 10^6.
  RatioResult whole = parse_ratio("9223372036855");
  ASSERT_TRUE(whole.failure);
  EXPECT_EQ(*whole.failure, ParseFailure::overflow);
  RatioResult below = parse_ratio("9223372036854");
  ASSERT_FALSE(below.failure);
  EXPECT_EQ(below.value.micros, 9'223'372'036'854'000'000);
}

// -------------------------------------------------------------- multiply_floor

TEST(MultiplyFloor, FloorsTheExactProduct) {
  struct Case {
    Minor amount;
    std::int64_t micros;
    Minor expected;
  } cases[] = {
      {1000, 1'740'000, 1740},  // 1000 * 1.74 = 1740 exactly
      {1001, 1'740'000, 1741},  // 1741.74 -> 1741
      {57, 1'740'000, 99},      // 99.18 -> 99
      {999, 500'000, 499},      // 499.5 -> 499
      {1, 999'999, 0},          // 0.999999 -> 0
      {3, 333'333, 0},          // 0.999999 -> 0 (a float might round to 1)
      {3, 333'334, 1},          // 1.000002 -> 1
      {7, 1'000'001, 7},        // 7.000007 -> 7
      {1'000'000, 1, 1},        // 1 exactly
      {999'999, 1, 0},          // 0.999999 -> 0
      {0, 5'000'000, 0},        //
      {12345, 0, 0},            // ratio 0
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.amount) + " * " + std::to_string(c.micros) + "e-6");
    EXPECT_EQ(multiply_floor(c.amount, Ratio{c.micros}), static_cast<Wide>(c.expected));
  }
}

TEST(MultiplyFloor, ResultsAboveSixtyFourBitsAreExact) {
  // kMax * 2 = 2^64 - 2 = 18446744073709551614.
  EXPECT_EQ(wide_to_string(multiply_floor(kMax, Ratio{2'000'000})), "18446744073709551614");
  // kMax * 2.5 = 23058430092136939517.5 -> 23058430092136939517.
  EXPECT_EQ(wide_to_string(multiply_floor(kMax, Ratio{2'500'000})), "23058430092136939517");
  // kMax * 1000: the digits of kMax followed by three zeros.
  EXPECT_EQ(wide_to_string(multiply_floor(kMax, Ratio{1'000'000'000})), "9223372036854775807000");
  // kMax * kMax micros = (2^63-1)^2 / 10^6 = 85070591730234615847396907784232501249 / 10^6,
  // whose floor drops the last six digits "501249".
  EXPECT_EQ(wide_to_string(multiply_floor(kMax, Ratio{kMax})), "85070591730234615847396907784232");
}

// The hot callers' own 32-bit case agrees with the exact product on both
// sides of the 32-bit edge, saturated (max_total_ratio) or checked (a base).
TEST(MultiplyFloor, SaturatedAndBaseAgreeWithTheExactProduct) {
  constexpr auto kMostUnsigned = std::numeric_limits<std::uint64_t>::max();
  const std::int64_t values[] = {0, 1, 999, 999'999, 1'000'000, 2'500'000, 0xFFFFFFFF, 0x100000000, kMax};
  for (std::int64_t amount : values)
    for (std::int64_t micros : values) {
      SCOPED_TRACE(std::to_string(amount) + " * " + std::to_string(micros) + "e-6");
      const Wide exact = multiply_floor(amount, Ratio{micros});
      EXPECT_EQ(multiply_floor_saturated(amount, Ratio{micros}),
                exact > kMostUnsigned ? kMostUnsigned : static_cast<std::uint64_t>(exact));
      EXPECT_EQ(ratio_base(amount, Ratio{micros}), exact > static_cast<Wide>(kMax) ? kBaseOverflow : static_cast<Minor>(exact));
    }
  // The largest 32-bit factors: (2^32 - 1)^2 / 10^6 = 18446744065119617025 / 10^6.
  EXPECT_EQ(multiply_floor_saturated(0xFFFFFFFF, Ratio{0xFFFFFFFF}), 18'446'744'065'119u);
}

// --------------------------------------------------------------- format_amount

TEST(FormatAmount, ExactlyMinorUnitsFractionDigits) {
  EXPECT_EQ(format_amount(0, 2), "0.00");
  EXPECT_EQ(format_amount(0, 6), "0.000000");
  EXPECT_EQ(format_amount(1230, 2), "12.30");
  EXPECT_EQ(format_amount(5, 2), "0.05");
  EXPECT_EQ(format_amount(5, 6), "0.000005");
  EXPECT_EQ(format_amount(100, 1), "10.0");
  EXPECT_EQ(format_amount(1'000'000, 3), "1000.000");
}

TEST(FormatAmount, MinorUnitsZeroHasNoPoint) {
  EXPECT_EQ(format_amount(0, 0), "0");
  EXPECT_EQ(format_amount(5, 0), "5");
  EXPECT_EQ(format_amount(1230, 0), "1230");
}

TEST(FormatAmount, LargeValues) {
  // kMax with the point moved mu places.
  EXPECT_EQ(format_amount(kMax, 0), "9223372036854775807");
  EXPECT_EQ(format_amount(kMax, 2), "92233720368547758.07");
  EXPECT_EQ(format_amount(kMax, 6), "9223372036854.775807");
  EXPECT_EQ(format_amount(1'000'000'000'000'000'000, 2), "10000000000000000.00");
}

TEST(FormatAmount, RoundTripsThroughParseAmount) {
  const Minor values[] = {0, 1, 9, 10, 99, 100, 12345, 1'000'000, 123'456'789'012, kMax - 1, kMax};
  for (int mu = 0; mu <= 6; ++mu) {
    for (Minor v : values) {
      std::string text = format_amount(v, mu);
      AmountResult back = parse_amount(text, mu);
      ASSERT_FALSE(back.failure) << text;
      EXPECT_EQ(back.value, v) << text << " at minor_units " << mu;
    }
  }
}

TEST(FormatAmount, AppendAmountAppendsAfterExistingText) {
  std::string out = "x=";
  append_amount(out, 1230, 2);
  out += ';';
  append_amount(out, 7, 0);
  EXPECT_EQ(out, "x=12.30;7");
}

}  // namespace
}  // namespace matchfund
