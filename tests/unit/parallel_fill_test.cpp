// fill_on_two_threads (engine/parallel_fill.hpp): every element, on either
// side of the split and of the size from which it splits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/default_init_allocator.hpp"
#include "engine/parallel_fill.hpp"

namespace matchfund {
namespace {

struct Slot {
  std::uint64_t prefix;
  std::uint32_t index;
  std::uint32_t tag;
};

TEST(ParallelFillTest, EveryElementIsWrittenWhateverTheCount) {
  const std::size_t split_from = kParallelFillBytes / sizeof(Slot);
  for (std::size_t count : {std::size_t{0}, std::size_t{1}, split_from - 1, split_from, split_from + 1,
                            2 * split_from + 3}) {
    // Unwritten by resize, then set to a value that is not all zero bytes.
    std::vector<Slot, DefaultInitAllocator<Slot>> slots;
    slots.resize(count);
    std::fill(slots.begin(), slots.end(), Slot{1, 2, 3});
    fill_on_two_threads(slots.data(), count, Slot{0, 0xFFFFFFFFu, 0});
    const auto wrong = std::find_if(slots.begin(), slots.end(), [](const Slot& s) {
      return s.prefix != 0 || s.index != 0xFFFFFFFFu || s.tag != 0;
    });
    EXPECT_EQ(wrong, slots.end()) << "count " << count << ": element " << (wrong - slots.begin()) << " not filled";
  }
}

}  // namespace
}  // namespace matchfund
