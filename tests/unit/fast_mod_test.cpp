// FastMod must equal the % operator for every 64-bit dividend and divisor.
#include "engine/fast_mod.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/hash.hpp"

namespace matchfund {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

TEST(FastMod, EqualsTheRemainderAtTheEdges) {
  const std::vector<std::uint64_t> values = {0, 1, 2, 3, 7, 10, 11, 1'000'000, 0xFFFFFFFFull, 0x100000000ull,
                                             (kMax >> 1), (kMax >> 1) + 1, kMax - 1, kMax};
  for (std::uint64_t d : values) {
    if (d == 0) continue;
    const FastMod mod(d);
    for (std::uint64_t a : values) EXPECT_EQ(mod(a), a % d) << a << " % " << d;
    for (std::uint64_t k : {std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{1000}}) {
      if (d > kMax / k) continue;
      for (std::uint64_t a : {d * k - 1, d * k, d * k + (d * k < kMax)}) EXPECT_EQ(mod(a), a % d) << a << " % " << d;
    }
  }
}

TEST(FastMod, EqualsTheRemainderOnRandomPairs) {
  std::uint64_t state = 2017;
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t a = splitmix64(state++);
    // Divisors of every width: a random rate's few points up to full 64 bits.
    const std::uint64_t d = std::max<std::uint64_t>(1, splitmix64(state++) >> (i % 64));
    EXPECT_EQ(FastMod(d)(a), a % d) << a << " % " << d;
  }
}

}  // namespace
}  // namespace matchfund
