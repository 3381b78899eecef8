// The AVX-512 bases of the random rate are, donation for donation, the
// plain formula's (RandomGrid::base): over grids whose remainders and ratios
// reach the edges of its exact ranges, amounts that leave 32 bits, bases
// that overflow, and lists dense (computed over their span) and sparse.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "policies/random_grid.hpp"

namespace matchfund {
namespace {

RandomGrid grid(std::int64_t min_micros, std::int64_t step_micros, std::uint64_t points, std::uint64_t key) {
  return RandomGrid{Ratio{min_micros}, Ratio{step_micros}, FastMod(points), key};
}

// An increasing list of positions in [0, 1024) keeping each with probability `share`.
std::vector<std::uint16_t> list_of(double share, std::mt19937_64& random) {
  std::vector<std::uint16_t> index;
  std::bernoulli_distribution keep(share);
  for (std::uint16_t i = 0; i < 1024; ++i)
    if (keep(random)) index.push_back(i);
  return index;
}

TEST(RandomBasesAvx512, EveryBaseIsThePlainFormulasAndOverflowIsReportedForListedDonationsOnly) {
  if (!cpu_has_avx512_ifma()) GTEST_SKIP() << "this CPU has no AVX-512 F, DQ and IFMA";
  constexpr Minor kMax = std::numeric_limits<Minor>::max();
  const std::vector<RandomGrid> grids = {
      grid(500'000, 100'000, 11, 2017),               // the peak-day platform pools' 0.5..1.5
      grid(0, 1, kMaxVectorPoints, 99),               // the most points, ratios of a millionth
      grid(0, 1, kMaxVectorPoints - 1, 7),            // an odd divisor near the top
      grid(1'000'000, 1, 1, 5),                       // one point: its step must not count
      grid(250'000, 250'000, 8, 3),                   // a power of two
      grid(0, 65'537, 65'536, 11),                    // ratios past 2^32 micros: lanes done one by one
      grid(0xFFFF'FFFF - 6, 1, 7, 13),                // the top ratio is exactly 2^32 - 1 micros
      grid(4'000'000'000'000, 1'000'000'000, 3, 17),  // huge ratios: bases overflow
  };
  std::mt19937_64 random(42);
  const std::vector<Minor> edges = {0, 1, 99, 999'999, 0xFFFF'FFFF, 0x1'0000'0000, kMax / 1'000'000, kMax};
  std::vector<Minor> amount(1024);
  std::vector<std::uint64_t> id_hash(1024);
  for (std::size_t i = 0; i < amount.size(); ++i) {
    const unsigned kind = random() % 4;
    amount[i] = kind == 0   ? edges[random() % edges.size()]
                : kind == 1 ? static_cast<Minor>(random() % 0x1'0000'0000)
                : kind == 2 ? static_cast<Minor>(random() % 100'000)
                            : static_cast<Minor>(random() >> 1);
    id_hash[i] = random();
  }
  for (const RandomGrid& g : grids) {
    for (const double share : {0.0, 0.01, 0.3, 0.6, 0.97, 1.0}) {
      for (int round = 0; round < 4; ++round) {
        const std::vector<std::uint16_t> index = list_of(share, random);
        std::vector<Minor> out(index.size(), -2);
        bool expected_overflow = false;
        const bool overflow =
            random_bases_avx512(g, amount.data(), id_hash.data(), index.data(), index.size(), out.data());
        for (std::size_t j = 0; j < index.size(); ++j) {
          const Minor expected = g.base(amount[index[j]], id_hash[index[j]]);
          expected_overflow |= expected == kBaseOverflow;
          ASSERT_EQ(out[j], expected) << "points " << g.points.divisor() << ", position " << index[j]
                                      << ", amount " << amount[index[j]];
        }
        EXPECT_EQ(overflow, expected_overflow) << "points " << g.points.divisor() << ", share " << share;
      }
    }
  }
}

// Only the listed donations count for overflow: an unlisted one inside the
// span (whose base the dense way computes too) is not reported.
TEST(RandomBasesAvx512, AnUnlistedOverflowInsideTheSpanIsNotReported) {
  if (!cpu_has_avx512_ifma()) GTEST_SKIP() << "this CPU has no AVX-512 F, DQ and IFMA";
  const RandomGrid g = grid(1'000'000, 1'000'000, 3, 1);
  std::vector<Minor> amount(64, 100);
  std::vector<std::uint64_t> id_hash(64, 5);
  amount[31] = std::numeric_limits<Minor>::max();  // its base does not fit int64
  std::vector<std::uint16_t> index;
  for (std::uint16_t i = 0; i < 64; ++i)
    if (i != 31) index.push_back(i);
  std::vector<Minor> out(index.size());
  EXPECT_FALSE(random_bases_avx512(g, amount.data(), id_hash.data(), index.data(), index.size(), out.data()));
  index.push_back(31);
  std::sort(index.begin(), index.end());
  out.resize(index.size());
  EXPECT_TRUE(random_bases_avx512(g, amount.data(), id_hash.data(), index.data(), index.size(), out.data()));
}

// splitmix64's inverse: undoes each xor-shift and multiplies by the inverse of each odd multiplier.
std::uint64_t unxorshift(std::uint64_t y, unsigned shift) {
  for (unsigned done = shift; done < 64; done *= 2) y ^= y >> done;
  return y;
}
std::uint64_t inverse_of(std::uint64_t odd) {
  std::uint64_t inverse = odd;  // Newton: each step doubles the correct low bits
  for (int i = 0; i < 6; ++i) inverse *= 2 - odd * inverse;
  return inverse;
}
std::uint64_t unsplitmix64(std::uint64_t z) {
  z = unxorshift(z, 31) * inverse_of(0x94D049BB133111EBull);
  z = unxorshift(z, 27) * inverse_of(0xBF58476D1CE4E5B9ull);
  return unxorshift(z, 30) - 0x9E3779B97F4A7C15ull;
}

TEST(RandomBasesAvx512, TheTestsInverseOfSplitmix64IsOne) {
  std::mt19937_64 random(3);
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t x = random();
    ASSERT_EQ(splitmix64(unsplitmix64(x)), x);
  }
}

// Quotients next to exact multiples, where a division by multiplication
// that is not exact comes out one off: hashes chosen so that the
// remainder's operand is a large multiple of the points, or one off it, and
// products that are multiples of 10^6, or one off, far beyond 2^53.
TEST(RandomBasesAvx512, QuotientsNextToExactMultiplesAreCorrected) {
  if (!cpu_has_avx512_ifma()) GTEST_SKIP() << "this CPU has no AVX-512 F, DQ and IFMA";
  std::mt19937_64 random(11);
  std::vector<std::uint16_t> index(1024);
  for (std::uint16_t i = 0; i < 1024; ++i) index[i] = i;
  for (const std::uint64_t points : {2ull, 3ull, 4ull, 5ull, 7ull, 11ull, 13ull, 1000ull, 65'521ull, 65'535ull, 65'536ull}) {
    for (const std::int64_t micros : {std::int64_t{1}, std::int64_t{4'000'000'000}, std::int64_t{4'294'000'000}}) {
      const RandomGrid g = grid(micros, 1, points, random());
      const std::uint64_t two32_mod = (std::uint64_t{1} << 32) % points;
      std::vector<Minor> amount(1024);
      std::vector<std::uint64_t> id_hash(1024);
      for (std::size_t i = 0; i < 1024; ++i) {
        // hi * 2^32 + lo with hi * (2^32 % points) + lo a multiple of points, plus -1, 0 or 1.
        const std::uint64_t hi = 0xFFFF'FFFF - random() % 4096;
        const std::uint64_t to_multiple = (points - hi * two32_mod % points) % points;
        const std::uint64_t lo = (to_multiple + points * (random() % 1024) + (i % 3) + points - 1) & 0xFFFF'FFFF;
        id_hash[i] = g.key ^ unsplitmix64(hi << 32 | lo);
        amount[i] = static_cast<Minor>(0xFFFF'FFFF - random() % 1'000'000);
      }
      std::vector<Minor> out(1024);
      random_bases_avx512(g, amount.data(), id_hash.data(), index.data(), index.size(), out.data());
      for (std::size_t j = 0; j < 1024; ++j)
        ASSERT_EQ(out[j], g.base(amount[j], id_hash[j])) << "points " << points << ", micros " << micros << ", j " << j;
    }
  }
}

// Products of two random 32-bit factors, over the whole 64-bit range the
// division by 10^6 takes (a quotient from doubles is one off for about one
// in 5,000 of them, measured).
TEST(RandomBasesAvx512, ProductsOfTwo32BitFactorsAreFlooredExactly) {
  if (!cpu_has_avx512_ifma()) GTEST_SKIP() << "this CPU has no AVX-512 F, DQ and IFMA";
  std::mt19937_64 random(5);
  const RandomGrid g = grid(0, 65'535, 65'536, 9);  // ratios spread up to 4294836225 micros
  std::vector<std::uint16_t> index(1024);
  for (std::uint16_t i = 0; i < 1024; ++i) index[i] = i;
  std::vector<Minor> amount(1024), out(1024);
  std::vector<std::uint64_t> id_hash(1024);
  for (int round = 0; round < 256; ++round) {
    for (std::size_t i = 0; i < 1024; ++i) {
      amount[i] = static_cast<Minor>(random() & 0xFFFF'FFFF);
      id_hash[i] = random();
    }
    random_bases_avx512(g, amount.data(), id_hash.data(), index.data(), index.size(), out.data());
    for (std::size_t j = 0; j < 1024; ++j) ASSERT_EQ(out[j], g.base(amount[j], id_hash[j])) << "amount " << amount[j];
  }
}

// The loop divides a product by 10^6 with one 52-bit multiply below 2^52
// and hands a lane at or above it to the plain formula: products on both
// sides of 2^52, and products that are multiples of 10^6, or one off,
// below it (where a reciprocal one too small comes out one low).
TEST(RandomBasesAvx512, ProductsAroundTheVectorDivisionsLimitAreFlooredExactly) {
  if (!cpu_has_avx512_ifma()) GTEST_SKIP() << "this CPU has no AVX-512 F, DQ and IFMA";
  constexpr std::int64_t kMillion = 1'000'000, kLimit = std::int64_t{1} << 52;
  for (const std::int64_t micros : {std::int64_t{1'999'999}, std::int64_t{3'000'001}, std::int64_t{4'294'967'291}}) {
    const RandomGrid g = grid(micros, 1, 1, 23);  // one point: every ratio is `micros`
    std::int64_t inverse = 1;                     // of micros modulo 10^6 (micros is prime to 10)
    while (inverse * (micros % kMillion) % kMillion != 1) ++inverse;
    const std::int64_t straddle = kLimit / micros;  // amounts from here up have products past 2^52
    std::vector<Minor> amount;
    for (std::int64_t d = -512; d < 512; ++d) amount.push_back(straddle + d);
    std::size_t multiples_below = 0;
    for (const std::int64_t residue : {kMillion - 1, std::int64_t{0}, std::int64_t{1}}) {
      const std::int64_t first = residue * inverse % kMillion;  // amount * micros = residue (mod 10^6)
      for (std::int64_t a = first + std::max<std::int64_t>(0, straddle - 300 * kMillion) / kMillion * kMillion;
           a < straddle + 300 * kMillion; a += kMillion) {
        if (a == 0) continue;
        amount.push_back(a);
        multiples_below += a < straddle;
      }
    }
    ASSERT_GT(multiples_below, 0u) << "micros " << micros;
    std::vector<std::uint64_t> id_hash(amount.size(), 0);
    std::vector<std::uint16_t> index;
    std::vector<Minor> out;
    for (std::size_t from = 0; from < amount.size(); from += 1024) {
      const std::size_t n = std::min<std::size_t>(1024, amount.size() - from);
      index.resize(n);
      for (std::size_t j = 0; j < n; ++j) index[j] = static_cast<std::uint16_t>(j);
      out.assign(n, -2);
      random_bases_avx512(g, amount.data() + from, id_hash.data() + from, index.data(), n, out.data());
      for (std::size_t j = 0; j < n; ++j)
        ASSERT_EQ(out[j], g.base(amount[from + j], id_hash[from + j]))
            << "micros " << micros << ", amount " << amount[from + j] << ", product " << amount[from + j] * micros;
    }
  }
}

// Every point of the grid turns up, near its expected share: the loop's
// corrections do not skip or favour a point.
TEST(RandomBasesAvx512, AllPointsArePickedEvenly) {
  if (!cpu_has_avx512_ifma()) GTEST_SKIP() << "this CPU has no AVX-512 F, DQ and IFMA";
  constexpr std::uint64_t kPoints = 13;
  const RandomGrid g = grid(0, 1, kPoints, 1);  // the base of amount 10^6 is the point's index
  constexpr std::size_t kDonations = 1024;
  std::vector<Minor> amount(kDonations, 1'000'000);
  std::vector<std::uint16_t> index(kDonations);
  std::vector<std::size_t> picks(kPoints);
  for (std::uint64_t round = 0; round < 13; ++round) {
    std::vector<std::uint64_t> id_hash(kDonations);
    for (std::size_t i = 0; i < kDonations; ++i) {
      id_hash[i] = (round * kDonations + i) * 0x9E3779B97F4A7C15ull;
      index[i] = static_cast<std::uint16_t>(i);
    }
    std::vector<Minor> out(kDonations);
    ASSERT_FALSE(random_bases_avx512(g, amount.data(), id_hash.data(), index.data(), kDonations, out.data()));
    for (const Minor base : out) {
      ASSERT_LT(static_cast<std::uint64_t>(base), kPoints);
      ++picks[static_cast<std::size_t>(base)];
    }
  }
  for (const std::size_t count : picks) EXPECT_NEAR(static_cast<double>(count), 1024.0, 150.0);
}

}  // namespace
}  // namespace matchfund
