// Zeroed arrays: a fresh block is zero without being written; a thread's
// page cache hands its freed big blocks to its next array of the same size,
// cleared, and nothing else.
#include "engine/page_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "engine/zeroed_array.hpp"

namespace matchfund {
namespace {

using BigArray = ZeroedArray<std::int64_t>;
constexpr std::size_t kBig = 2 * PageCache::kMinBytes / sizeof(std::int64_t);

bool all_zero(const BigArray& a) { return std::all_of(a.data(), a.data() + a.size(), [](std::int64_t v) { return v == 0; }); }

BigArray filled(std::size_t size, std::int64_t value) {
  BigArray a;
  a.grow(size);
  std::fill(a.data(), a.data() + size, value);
  return a;
}

TEST(ZeroedArray, GrowingKeepsTheContentsAndZeroesTheNewPart) {
  for (const std::size_t small : {std::size_t{3}, kBig / 2}) {
    BigArray a = filled(small, 5);
    a.grow(kBig + 3);  // from calloc or mmap to mmap
    ASSERT_EQ(a.size(), kBig + 3);
    EXPECT_TRUE(std::all_of(a.data(), a.data() + small, [](std::int64_t v) { return v == 5; }));
    EXPECT_TRUE(std::all_of(a.data() + small, a.data() + a.size(), [](std::int64_t v) { return v == 0; }));
    a.grow(small);  // never shrinks
    EXPECT_EQ(a.size(), kBig + 3);
  }
}

TEST(ZeroedArray, AMovedArrayOwnsTheBlockAndLeavesAnEmptyOne) {
  BigArray a = filled(kBig, 9);
  const std::int64_t* block = a.data();
  BigArray b = std::move(a);
  EXPECT_EQ(b.data(), block);
  EXPECT_EQ(b.size(), kBig);
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): the moved-from state is the contract
  EXPECT_EQ(a.data(), nullptr);
}

TEST(PageCache, AFreedBigArrayServesTheNextOfTheSameSizeCleared) {
  PageCache cache;
  const PageCache::Use use(cache);
  const std::int64_t* first = nullptr;
  {
    const BigArray a = filled(kBig, 7);
    first = a.data();
  }
  BigArray b;
  b.grow(kBig);
  EXPECT_EQ(b.data(), first);
  EXPECT_TRUE(all_zero(b));
}

TEST(PageCache, WithoutACacheAFreedBlockIsNotHandedOutAgainDirty) {
  { const BigArray a = filled(kBig, 7); }
  BigArray b;  // the kernel may well map the same address again: with new pages
  b.grow(kBig);
  EXPECT_TRUE(all_zero(b));
}

TEST(PageCache, AnotherSizeGetsItsOwnBlock) {
  PageCache cache;
  const PageCache::Use use(cache);
  const std::int64_t* cached = nullptr;
  {
    const BigArray a = filled(kBig, 1);
    cached = a.data();
  }
  // The cache still holds the first block, so no other allocation can be given it.
  BigArray other;
  other.grow(kBig + 1);
  EXPECT_NE(other.data(), cached);
  BigArray same;
  same.grow(kBig);
  EXPECT_EQ(same.data(), cached);
}

TEST(PageCache, SmallArraysAreNotKept) {
  PageCache cache;
  const PageCache::Use use(cache);
  const std::int64_t* big = nullptr;
  {
    const BigArray a = filled(kBig, 1);
    big = a.data();
    const BigArray small = filled(16, 1);  // freed to the heap, not the cache
  }
  // Two same-size arrays in turn: the first takes the cached block, the second a new one.
  BigArray first, second;
  first.grow(kBig);
  second.grow(kBig);
  EXPECT_EQ(first.data(), big);
  EXPECT_NE(second.data(), big);
  EXPECT_TRUE(all_zero(second));
}

TEST(PageCache, AnInnerUseEndsAndTheOuterCacheIsBack) {
  PageCache outer, inner;
  const PageCache::Use use_outer(outer);
  const std::int64_t* kept_by_outer = nullptr;
  {
    const BigArray a = filled(kBig, 1);
    kept_by_outer = a.data();
  }
  {
    const PageCache::Use use_inner(inner);
    BigArray b;  // the inner cache is empty: a fresh block
    b.grow(kBig);
    EXPECT_NE(b.data(), kept_by_outer);
  }
  BigArray c;
  c.grow(kBig);
  EXPECT_EQ(c.data(), kept_by_outer);
}

}  // namespace
}  // namespace matchfund
