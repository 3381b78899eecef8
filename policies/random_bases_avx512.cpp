// The random rate's bases, eight donations at a time in 64-bit lanes: a
// multiply-bound loop (splitmix64, the remainder, the ratio) that the plain
// one runs one multiply at a time. Built for AVX-512 F and DQ whatever the
// build's target; called only on a CPU that has them (avx512_usable).
#include <immintrin.h>

#include <algorithm>

#include "policies/random_grid.hpp"

namespace matchfund {

bool avx512_usable() { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"); }

// GCC 12's AVX-512 intrinsics start some results from a self-initialised
// "undefined" vector, which -Wmaybe-uninitialized reports where they inline
// (GCC bug 105593, fixed in GCC 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace {

// The base of each donation of the positions [0, count) of amount and
// id_hash, written to out[0, count): eight consecutive donations per step,
// read with plain loads (a gather of eight costs more than the whole step).
__attribute__((target("avx512f,avx512dq"))) void consecutive_bases(const RandomGrid& grid, const Minor* amount,
                                                                   const std::uint64_t* id_hash, std::size_t count,
                                                                   Minor* out) {
  const std::uint64_t points = grid.points.divisor();
  const __m512i key = _mm512_set1_epi64(static_cast<long long>(grid.key));
  const __m512i golden = _mm512_set1_epi64(static_cast<long long>(0x9E3779B97F4A7C15ull));
  const __m512i mix1 = _mm512_set1_epi64(static_cast<long long>(0xBF58476D1CE4E5B9ull));
  const __m512i mix2 = _mm512_set1_epi64(static_cast<long long>(0x94D049BB133111EBull));
  const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFFll);
  const __m512i divisor = _mm512_set1_epi64(static_cast<long long>(points));
  const __m512i two32_mod = _mm512_set1_epi64(static_cast<long long>((std::uint64_t{1} << 32) % points));
  const __m512d inverse = _mm512_set1_pd(1.0 / static_cast<double>(points));
  const __m512i min = _mm512_set1_epi64(grid.min.micros), step = _mm512_set1_epi64(grid.step.micros);
  const __m512i scale = _mm512_set1_epi64(kRatioScale);
  const __m512d inverse_scale = _mm512_set1_pd(1.0 / static_cast<double>(kRatioScale));
  const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi64(1);
  for (std::size_t i = 0; i < count; i += 8) {
    const __mmask8 lanes = count - i >= 8 ? 0xFF : static_cast<__mmask8>((1u << (count - i)) - 1);
    const __m512i a = _mm512_maskz_loadu_epi64(lanes, amount + i);
    __m512i z = _mm512_add_epi64(_mm512_xor_si512(_mm512_maskz_loadu_epi64(lanes, id_hash + i), key), golden);
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), mix1);  // splitmix64
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), mix2);
    z = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
    // z % points. z = hi * 2^32 + lo is congruent to x = hi * (2^32 % points)
    // + lo, below 2^48 and so exact as a double. The double quotient x / points
    // is off by less than 2^-52 * 2^48 / points = 1 / (16 * points), less than
    // the distance 1 / points from x / points to the next integer above: its
    // floor can only be one too low (just below an exact multiple), never too high.
    const __m512i x =
        _mm512_add_epi64(_mm512_mul_epu32(_mm512_srli_epi64(z, 32), two32_mod), _mm512_and_si512(z, low32));
    const __m512i q = _mm512_cvttpd_epu64(_mm512_mul_pd(_mm512_cvtepu64_pd(x), inverse));
    __m512i picked = _mm512_sub_epi64(x, _mm512_mullo_epi64(q, divisor));
    picked = _mm512_mask_sub_epi64(picked, _mm512_cmpge_epi64_mask(picked, divisor), picked, divisor);
    const __m512i micros = _mm512_add_epi64(min, _mm512_mullo_epi64(picked, step));
    // floor(a * micros / 10^6) where both factors fit 32 bits (as ratio_base):
    // the product is exact in 64 bits, and its quotient from doubles (below
    // 2^45, relative error about 2^-51) is off by at most one. Other lanes
    // are done one by one.
    const __mmask8 fits = _mm512_cmple_epu64_mask(a, low32) & _mm512_cmple_epu64_mask(micros, low32);
    const __m512i product = _mm512_mul_epu32(a, micros);
    __m512i base = _mm512_cvttpd_epu64(_mm512_mul_pd(_mm512_cvtepu64_pd(product), inverse_scale));
    const __m512i rest = _mm512_sub_epi64(product, _mm512_mullo_epi64(base, scale));  // in (-10^6, 2 * 10^6)
    base = _mm512_mask_sub_epi64(base, _mm512_cmplt_epi64_mask(rest, zero), base, one);
    base = _mm512_mask_add_epi64(base, _mm512_cmpge_epi64_mask(rest, scale), base, one);
    _mm512_mask_storeu_epi64(out + i, lanes, base);
    if ((fits & lanes) != lanes) [[unlikely]]
      for (std::size_t k = 0; k < 8 && i + k < count; ++k)
        if (!(fits >> k & 1)) out[i + k] = grid.base(amount[i + k], id_hash[i + k]);
  }
}

}  // namespace

bool random_bases_avx512(const RandomGrid& grid, const Minor* amount, const std::uint64_t* id_hash,
                         const std::uint16_t* index, std::size_t n, Minor* out) {
  bool overflow = false;
  // A list that covers at least half of the positions it spans (a pool most
  // donations are eligible for) has the bases of the whole span computed,
  // then picked; a sparser one, one by one.
  constexpr std::size_t kMostSpan = 2048;  // a batch's list spans at most Allocator::kBatch positions
  const std::size_t span = n == 0 ? 0 : std::size_t{index[n - 1]} - index[0] + 1;
  if (n >= 8 && span <= 2 * n && span <= kMostSpan) {
    Minor spanned[kMostSpan];
    const std::size_t first = index[0];
    consecutive_bases(grid, amount + first, id_hash + first, span, spanned);
    for (std::size_t j = 0; j < n; ++j) {
      out[j] = spanned[index[j] - first];
      overflow |= out[j] == kBaseOverflow;
    }
    return overflow;
  }
  for (std::size_t j = 0; j < n; ++j) {
    out[j] = grid.base(amount[index[j]], id_hash[index[j]]);
    overflow |= out[j] == kBaseOverflow;
  }
  return overflow;
}
#pragma GCC diagnostic pop

}  // namespace matchfund
