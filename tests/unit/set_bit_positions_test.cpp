// The positions of a mask's set bits, in order and offset, whichever way
// this CPU builds them, and nothing written past the room promised.
#include "engine/set_bit_positions.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace matchfund {
namespace {

std::vector<std::uint16_t> expected_positions(std::uint64_t bits, std::uint16_t offset) {
  std::vector<std::uint16_t> positions;
  for (unsigned k = 0; k < 64; ++k)
    if (bits >> k & 1) positions.push_back(static_cast<std::uint16_t>(offset + k));
  return positions;
}

TEST(SetBitPositions, EachSetBitInOrderPlusTheOffset) {
  std::mt19937_64 random(7);
  std::vector<std::uint64_t> masks = {0, ~std::uint64_t{0}, 1, std::uint64_t{1} << 63, 0xFFFF'FFFF,
                                      0xFFFF'FFFF'0000'0000, 0x8000'0001'8000'0001};
  for (unsigned k = 0; k < 64; ++k) masks.push_back(std::uint64_t{1} << k);
  for (int i = 0; i < 2000; ++i) masks.push_back(random() & random());  // sparse and dense ones
  for (int i = 0; i < 2000; ++i) masks.push_back(random() | random());
  for (const std::uint16_t offset : {std::uint16_t{0}, std::uint16_t{64}, std::uint16_t{960}}) {
    for (const std::uint64_t bits : masks) {
      // Two guard entries around the 64 of room: neither may change.
      std::vector<std::uint16_t> room(66, 0xBEEF);
      const std::size_t count = append_set_bit_positions(bits, offset, room.data() + 1);
      const std::vector<std::uint16_t> expected = expected_positions(bits, offset);
      ASSERT_EQ(count, expected.size()) << std::hex << bits;
      EXPECT_EQ(std::vector<std::uint16_t>(room.begin() + 1, room.begin() + 1 + static_cast<std::ptrdiff_t>(count)),
                expected)
          << std::hex << bits;
      EXPECT_EQ(room.front(), 0xBEEF);
      EXPECT_EQ(room.back(), 0xBEEF);
    }
  }
}

}  // namespace
}  // namespace matchfund
