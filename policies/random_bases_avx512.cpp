// The random rate's bases, eight donations at a time in 64-bit lanes: a
// multiply-bound loop (splitmix64, the remainder, the ratio) that the plain
// one runs one multiply at a time. Integers only, as everywhere in
// allocation. Its divisions are multiplies by reciprocals in the 52-bit
// multiplier of AVX-512 IFMA (one instead of the four 32-bit multiplies a
// 64-bit high product takes). Built for AVX-512 F, DQ and IFMA whatever the
// build's target; called only on a CPU that has them (cpu_has_avx512_ifma).
#include <immintrin.h>

#include <bit>

#include "policies/random_grid.hpp"

namespace matchfund {

// GCC 12's AVX-512 intrinsics start some results from a self-initialised
// "undefined" vector, which -Wmaybe-uninitialized reports where they inline
// (GCC bug 105593, fixed in GCC 13). Clang has no such warning.
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace {

// ceil(2^(52 + shift) / d) for d >= 2: a multiplier under 2^52 for the
// 52-bit multiplies of AVX-512 IFMA when 2^shift < d.
constexpr std::uint64_t reciprocal_52(std::uint64_t d, unsigned shift) {
  const Wide dividend = Wide{1} << (52 + shift);
  return static_cast<std::uint64_t>(dividend / d + (dividend % d != 0));
}

// floor(x / 10^6) = high52(x * r) >> 19 with r = ceil(2^71 / 10^6), for
// every x below 2^52 (the multiplier's width): r exceeds 2^71 / 10^6 by
// e = 0.39..., which adds x * e / 2^71 < 10^-6 to x / 10^6, whose fraction
// is at most 1 - 10^-6.
constexpr unsigned kScaleShift = 19;
constexpr std::uint64_t kScaleLimit = std::uint64_t{1} << 52;
static_assert(kRatioScale == 1'000'000);
static_assert(reciprocal_52(kRatioScale, kScaleShift) < kScaleLimit);
static_assert((Wide{reciprocal_52(kRatioScale, kScaleShift)} * kRatioScale - (Wide{1} << 71)) * kScaleLimit <
              Wide{1} << 71);  // x * e / 2^71 < 10^-6 for x < kScaleLimit

// The base of each donation of the positions [0, count) of amount and
// id_hash, written to out[0, count): eight consecutive donations per step,
// read with plain loads (a gather of eight costs more than the whole step).
// Integers only, each quotient exact (below).
__attribute__((target("avx512f,avx512dq,avx512ifma"))) void consecutive_bases(const RandomGrid& grid,
                                                                              const Minor* amount,
                                                                              const std::uint64_t* id_hash,
                                                                              std::size_t count, Minor* out) {
  const std::uint64_t points = grid.points.divisor();
  const __m512i key = _mm512_set1_epi64(static_cast<long long>(grid.key));
  const __m512i golden = _mm512_set1_epi64(static_cast<long long>(0x9E3779B97F4A7C15ull));
  const __m512i mix1 = _mm512_set1_epi64(static_cast<long long>(0xBF58476D1CE4E5B9ull));
  const __m512i mix2 = _mm512_set1_epi64(static_cast<long long>(0x94D049BB133111EBull));
  const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFFll);
  const __m512i zero = _mm512_setzero_si512();
  const __m512i divisor = _mm512_set1_epi64(static_cast<long long>(points));
  const __m512i two32_mod = _mm512_set1_epi64(static_cast<long long>((std::uint64_t{1} << 32) % points));
  // x / points for x < 2^48: high52(x * r) >> shift with r = ceil(2^(52 +
  // shift) / points) and 2^shift < points <= 2^(shift + 1): r < 2^52, and its
  // excess, below 1, adds less than 2^48 / 2^(52 + shift) <= 1 / points to
  // x / points, whose fraction is at most 1 - 1 / points. One point always
  // picks index 0 (a zero lane mask).
  const unsigned shift = points < 2 ? 0 : static_cast<unsigned>(std::bit_width(points - 1) - 1);
  const __m512i quotient_shift = _mm512_set1_epi64(shift);
  const __m512i reciprocal = _mm512_set1_epi64(points < 2 ? 0 : static_cast<long long>(reciprocal_52(points, shift)));
  const __mmask8 one_point = points < 2 ? 0 : 0xFF;
  const __m512i min = _mm512_set1_epi64(grid.min.micros), step = _mm512_set1_epi64(grid.step.micros);
  const __m512i scale_reciprocal =
      _mm512_set1_epi64(static_cast<long long>(reciprocal_52(kRatioScale, kScaleShift)));
  const __m512i scale_limit = _mm512_set1_epi64(static_cast<long long>(kScaleLimit));
  for (std::size_t i = 0; i < count; i += 8) {
    const __mmask8 lanes = count - i >= 8 ? 0xFF : static_cast<__mmask8>((1u << (count - i)) - 1);
    const __m512i a = _mm512_maskz_loadu_epi64(lanes, amount + i);
    __m512i z = _mm512_add_epi64(_mm512_xor_si512(_mm512_maskz_loadu_epi64(lanes, id_hash + i), key), golden);
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), mix1);  // splitmix64
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), mix2);
    z = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
    // z % points. z = hi * 2^32 + lo is congruent to x = hi * (2^32 % points)
    // + lo, below 2^48 (points <= kMaxVectorPoints).
    const __m512i x =
        _mm512_add_epi64(_mm512_mul_epu32(_mm512_srli_epi64(z, 32), two32_mod), _mm512_and_si512(z, low32));
    // The remainder x - quotient * points: the product is at most x, exact in the low 52 bits.
    const __m512i quotient = _mm512_srlv_epi64(_mm512_madd52hi_epu64(zero, x, reciprocal), quotient_shift);
    const __m512i picked =
        _mm512_maskz_mov_epi64(one_point, _mm512_sub_epi64(x, _mm512_madd52lo_epu64(zero, quotient, divisor)));
    const __m512i micros = _mm512_add_epi64(min, _mm512_mullo_epi64(picked, step));
    // floor(a * micros / 10^6) where both factors fit 32 bits (as ratio_base)
    // and their product, exact in 64 bits, is below kScaleLimit. Other lanes
    // are done one by one.
    const __m512i product = _mm512_mul_epu32(a, micros);
    const __mmask8 fits = _mm512_cmple_epu64_mask(a, low32) & _mm512_cmple_epu64_mask(micros, low32) &
                          _mm512_cmplt_epu64_mask(product, scale_limit);
    const __m512i base = _mm512_srli_epi64(_mm512_madd52hi_epu64(zero, product, scale_reciprocal), kScaleShift);
    _mm512_mask_storeu_epi64(out + i, lanes, base);
    if ((fits & lanes) != lanes) [[unlikely]]
      for (std::size_t k = 0; k < 8 && i + k < count; ++k)
        if (!(fits >> k & 1)) out[i + k] = grid.base(amount[i + k], id_hash[i + k]);
  }
}

}  // namespace

bool random_bases_avx512(const RandomGrid& grid, const Minor* amount, const std::uint64_t* id_hash,
                         const std::uint16_t* index, std::size_t n, Minor* out) {
  // A list that covers at least half of the positions it spans (a pool most
  // donations are eligible for) has the bases of the whole span computed,
  // then picked; a sparser one, one by one.
  constexpr std::size_t kMostSpan = 2048;  // a batch's list spans at most Allocator::kBatch positions
  const std::size_t span = n == 0 ? 0 : std::size_t{index[n - 1]} - index[0] + 1;
  if (n >= 8 && span <= 2 * n && span <= kMostSpan) {
    Minor spanned[kMostSpan];
    const std::size_t first = index[0];
    consecutive_bases(grid, amount + first, id_hash + first, span, spanned);
    bool overflow = false;
    for (std::size_t j = 0; j < n; ++j) {
      out[j] = spanned[index[j] - first];
      overflow |= out[j] == kBaseOverflow;
    }
    return overflow;
  }
  return random_bases_one_by_one(grid, amount, id_hash, index, n, out);
}
#pragma GCC diagnostic pop

}  // namespace matchfund
