// The page cache hands a thread's freed big arrays to its next array of the
// same size, and nothing else.
#include "engine/page_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace matchfund {
namespace {

using BigArray = std::vector<std::int64_t, RecyclingAllocator<std::int64_t>>;
constexpr std::size_t kBig = 2 * PageCache::kMinBytes / sizeof(std::int64_t);

TEST(PageCache, AFreedBigArrayServesTheNextOfTheSameSizeZeroedByTheVector) {
  PageCache cache;
  const PageCache::Use use(cache);
  const std::int64_t* first = nullptr;
  {
    BigArray a(kBig, 7);
    first = a.data();
  }
  BigArray b(kBig, 0);
  EXPECT_EQ(b.data(), first);
  EXPECT_TRUE(std::all_of(b.begin(), b.end(), [](std::int64_t v) { return v == 0; }));
}

TEST(PageCache, AnotherSizeGetsItsOwnBlock) {
  PageCache cache;
  const PageCache::Use use(cache);
  const std::int64_t* cached = nullptr;
  {
    BigArray a(kBig);
    cached = a.data();
  }
  // The cache still holds the first block, so no other allocation can be given it.
  BigArray other(kBig + 1);
  EXPECT_NE(other.data(), cached);
  BigArray same(kBig);
  EXPECT_EQ(same.data(), cached);
}

TEST(PageCache, SmallArraysAreNotKept) {
  PageCache cache;
  const PageCache::Use use(cache);
  const std::int64_t* big = nullptr;
  {
    BigArray a(kBig);
    big = a.data();
    BigArray small(16);  // freed to the heap, not the cache
  }
  // Two same-size arrays in turn: the first takes the cached block, the second a new one.
  BigArray first(kBig), second(kBig);
  EXPECT_EQ(first.data(), big);
  EXPECT_NE(second.data(), big);
}

TEST(PageCache, AnInnerUseEndsAndTheOuterCacheIsBack) {
  PageCache outer, inner;
  const PageCache::Use use_outer(outer);
  const std::int64_t* kept_by_outer = nullptr;
  {
    BigArray a(kBig);
    kept_by_outer = a.data();
  }
  {
    const PageCache::Use use_inner(inner);
    BigArray b(kBig);  // the inner cache is empty: a fresh block
    EXPECT_NE(b.data(), kept_by_outer);
  }
  BigArray c(kBig);
  EXPECT_EQ(c.data(), kept_by_outer);
}

}  // namespace
}  // namespace matchfund
