// The positions of a 64-bit mask's set bits, as a pool's list of a batch's
// donations is built from their eligibility bits.
#pragma once

#include <cstddef>
#include <cstdint>

namespace matchfund {

// Writes offset + k for each set bit k of `bits`, in increasing order, to
// out[0, count) and returns count. May write anything to out[count, 64):
// out must have room for 64 entries.
std::size_t append_set_bit_positions(std::uint64_t bits, std::uint16_t offset, std::uint16_t* out);

}  // namespace matchfund
