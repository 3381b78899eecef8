// RepeatedHashes (engine/repeated_hashes.hpp): whether any hash of a stream
// repeats, with the hashes split into partitions as they come.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "engine/repeated_hashes.hpp"

namespace matchfund {
namespace {

bool any_repeated(const std::vector<std::uint64_t>& hashes, std::size_t expected, std::size_t piece) {
  RepeatedHashes repeated(expected);
  for (std::size_t at = 0; at < hashes.size(); at += piece)
    repeated.add(hashes.data() + at, std::min(piece, hashes.size() - at));
  return repeated.any();
}

TEST(RepeatedHashes, NoneAmongDistinctHashesOneAmongRepeats) {
  EXPECT_FALSE(any_repeated({}, 0, 1));
  EXPECT_FALSE(any_repeated({0, 1, 2, ~std::uint64_t{0}}, 4, 1));
  EXPECT_TRUE(any_repeated({5, 6, 5}, 3, 2));
  // 0 is the tables' empty slot: it is counted apart.
  EXPECT_TRUE(any_repeated({0, 1, 0}, 3, 3));
}

TEST(RepeatedHashes, FindsOneRepeatAmongMillionsWhereverItIs) {
  // Two million distinct hashes (2^9 partitions, checked on two threads),
  // then one of them again at the start, the middle or the end of the
  // partitions, with more or fewer hashes than expected (partitions that grow).
  std::mt19937_64 rng(7);
  std::vector<std::uint64_t> hashes(std::size_t{1} << 21);
  for (std::uint64_t& h : hashes) h = rng();
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  std::shuffle(hashes.begin(), hashes.end(), rng);
  for (const std::size_t expected : {hashes.size() / 4, hashes.size(), hashes.size() * 4}) {
    EXPECT_FALSE(any_repeated(hashes, expected, 3000)) << expected;
    for (const std::uint64_t top : {std::uint64_t{0}, std::uint64_t{1} << 63, ~std::uint64_t{0}}) {
      // The hash nearest `top` lands in the first, a middle or the last partition.
      const std::uint64_t pick = *std::min_element(hashes.begin(), hashes.end(), [&](std::uint64_t a, std::uint64_t b) {
        return (a > top ? a - top : top - a) < (b > top ? b - top : top - b);
      });
      std::vector<std::uint64_t> with = hashes;
      with.insert(with.begin() + static_cast<std::ptrdiff_t>(rng() % with.size()), pick);
      EXPECT_TRUE(any_repeated(with, expected, 3000)) << expected << " " << top;
    }
  }
}

}  // namespace
}  // namespace matchfund
