// The amount text of SPEC 8 (append_amount, write_amount) against the plain
// one-digit-at-a-time formatting, over the edges and many random values at
// every minor_units.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <string>

#include "engine/amount_text.hpp"
#include "engine/money.hpp"

namespace matchfund {
namespace {

constexpr Minor kMax = std::numeric_limits<Minor>::max();
constexpr Minor kMin = std::numeric_limits<Minor>::min();

// The simple formatting: digits of the magnitude right to left, the point
// after minor_units of them, at least one whole digit, then the sign.
std::string simple_amount(Minor value, int minor_units) {
  std::uint64_t v = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string reversed;
  for (int k = 0; k < minor_units; ++k, v /= 10) reversed += static_cast<char>('0' + v % 10);
  if (minor_units > 0) reversed += '.';
  do {
    reversed += static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  if (value < 0) reversed += '-';
  return std::string(reversed.rbegin(), reversed.rend());
}

TEST(AppendAmount, HandWrittenEdges) {
  EXPECT_EQ(format_amount(0, 0), "0");
  EXPECT_EQ(format_amount(1, 0), "1");
  EXPECT_EQ(format_amount(0, 1), "0.0");
  EXPECT_EQ(format_amount(1, 1), "0.1");
  EXPECT_EQ(format_amount(1, 2), "0.01");
  EXPECT_EQ(format_amount(1, 3), "0.001");
  EXPECT_EQ(format_amount(10, 1), "1.0");
  EXPECT_EQ(format_amount(99, 2), "0.99");
  EXPECT_EQ(format_amount(100, 2), "1.00");
  EXPECT_EQ(format_amount(1005, 3), "1.005");
  EXPECT_EQ(format_amount(1'000'000, 6), "1.000000");
  EXPECT_EQ(format_amount(kMax, 0), "9223372036854775807");
  EXPECT_EQ(format_amount(kMax, 1), "922337203685477580.7");
  EXPECT_EQ(format_amount(kMax, 5), "92233720368547.75807");
  EXPECT_EQ(format_amount(kMax, 6), "9223372036854.775807");
  EXPECT_EQ(format_amount(-1, 2), "-0.01");
  EXPECT_EQ(format_amount(-1230, 2), "-12.30");
  EXPECT_EQ(format_amount(kMin, 0), "-9223372036854775808");
  EXPECT_EQ(format_amount(kMin, 3), "-9223372036854775.808");
}

TEST(AppendAmount, EveryPowerOfTenAndItsNeighboursMatchTheSimpleFormatting) {
  for (int mu = 0; mu <= 6; ++mu) {
    for (Minor p = 1;; p *= 10) {
      for (Minor v : {p - 1, p, p + 1, -p, -(p - 1)}) ASSERT_EQ(format_amount(v, mu), simple_amount(v, mu)) << v;
      if (p > kMax / 10) break;  // 10^18: the next power does not fit
    }
    for (Minor v : {kMax, kMax - 1, kMin, kMin + 1}) ASSERT_EQ(format_amount(v, mu), simple_amount(v, mu)) << v;
  }
}

TEST(AppendAmount, RandomValuesMatchTheSimpleFormatting) {
  std::mt19937_64 rng(2017);
  for (int i = 0; i < 200'000; ++i) {
    // Every length of value: a random 64-bit pattern shifted right by 0..63.
    const Minor v = static_cast<Minor>(rng() >> (rng() % 64));
    const int mu = static_cast<int>(rng() % 7);
    ASSERT_EQ(format_amount(v, mu), simple_amount(v, mu)) << v << " at minor_units " << mu;
  }
}

TEST(AppendAmount, AppendsToWhatIsThereWithoutTouchingIt) {
  std::string out = "a,";
  std::string expected = out;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000; ++i) {
    const Minor v = static_cast<Minor>(rng() >> (1 + rng() % 63));
    const int mu = static_cast<int>(rng() % 7);
    append_amount(out, v, mu);
    out += ',';
    expected += simple_amount(v, mu) + ",";
  }
  EXPECT_EQ(out, expected);
}

// write_amount fills exactly the returned range, never more than kMaxAmountChars,
// up to the largest minor_units it allows.
TEST(WriteAmount, WritesTheTextAndNothingPastIt) {
  std::mt19937_64 rng(19);
  auto check = [](Minor v, int mu) {
    char buf[kMaxAmountChars + 8];
    std::fill(std::begin(buf), std::end(buf), '#');
    const char* end = write_amount(buf, v, mu);
    const std::string expected = simple_amount(v, mu);
    ASSERT_LE(expected.size(), kMaxAmountChars);
    ASSERT_EQ(std::string(static_cast<const char*>(buf), end), expected) << v << " at minor_units " << mu;
    for (const char* p = end; p != std::end(buf); ++p) ASSERT_EQ(*p, '#') << v << " at minor_units " << mu;
  };
  for (int mu = 0; mu <= 19; ++mu) {
    for (Minor v : {Minor{0}, Minor{1}, Minor{-1}, Minor{10}, kMax, kMin, kMin + 1}) check(v, mu);
    for (int i = 0; i < 2000; ++i) check(static_cast<Minor>(rng() >> (rng() % 64)), mu);
  }
  // The longest text there is: INT64_MIN with a point before all 19 digits.
  char buf[kMaxAmountChars];
  EXPECT_EQ(write_amount(buf, kMin, 19) - buf, static_cast<std::ptrdiff_t>(kMaxAmountChars));
}

}  // namespace
}  // namespace matchfund
