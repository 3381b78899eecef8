#include "engine/set_bit_positions.hpp"

#include <immintrin.h>

#include <bit>

#include "engine/cpu_features.hpp"

namespace matchfund {
namespace {

// One bit at a time: a chain of "clear the lowest bit", about two cycles a position.
std::size_t one_by_one(std::uint64_t bits, std::uint16_t offset, std::uint16_t* out) {
  std::size_t count = 0;
  for (; bits != 0; bits &= bits - 1) out[count++] = static_cast<std::uint16_t>(offset + std::countr_zero(bits));
  return count;
}

// 32 positions per instruction: the lanes 0..31 (plus the offset) whose bit
// is set, packed to the front, then stored whole.
__attribute__((target("avx512f,avx512bw,avx512vbmi2"))) std::size_t compressed(std::uint64_t bits,
                                                                               std::uint16_t offset,
                                                                               std::uint16_t* out) {
  const __m512i lanes = _mm512_add_epi16(
      _mm512_set_epi16(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7,
                       6, 5, 4, 3, 2, 1, 0),
      _mm512_set1_epi16(static_cast<short>(offset)));
  const auto low = static_cast<__mmask32>(bits), high = static_cast<__mmask32>(bits >> 32);
  _mm512_storeu_si512(out, _mm512_maskz_compress_epi16(low, lanes));
  const std::size_t count = static_cast<std::size_t>(std::popcount(low));
  _mm512_storeu_si512(out + count, _mm512_maskz_compress_epi16(high, _mm512_add_epi16(lanes, _mm512_set1_epi16(32))));
  return count + static_cast<std::size_t>(std::popcount(high));
}

const bool kCanCompress = cpu_has_avx512_vbmi2();

}  // namespace

std::size_t append_set_bit_positions(std::uint64_t bits, std::uint16_t offset, std::uint16_t* out) {
  return kCanCompress ? compressed(bits, offset, out) : one_by_one(bits, offset, out);
}

}  // namespace matchfund
