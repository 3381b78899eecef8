#include "engine/same_day_times.hpp"

#include <immintrin.h>

#include "engine/cpu_features.hpp"

namespace matchfund {
namespace {

// A time of day t is on another day when t < 0 or t >= kMicrosPerDay, that
// is when t or t + (2^37 - kMicrosPerDay) has a bit at 37 or above (times of
// day are far from overflow). No branch per donation: batches rarely cross midnight.
static_assert(kMicrosPerDay < (Micros{1} << 37));
constexpr Micros kPastDay = (Micros{1} << 37) - kMicrosPerDay;
static_assert(kSameDayBlock % 8 == 0);

// Two donations at a time, in SSE2's 64-bit lanes (any x86-64).
std::size_t blocks_sse2(const Micros* time, std::size_t n, std::size_t most, Micros midnight, Micros* time_of_day,
                        bool& backwards) {
  const __m128i midnight_lanes = _mm_set1_epi64x(midnight);
  const __m128i past_day = _mm_set1_epi64x(kPastDay);
  __m128i back = _mm_setzero_si128();  // the sign bit: some time is below the one before
  for (; n + kSameDayBlock <= most; n += kSameDayBlock) {
    __m128i outside = _mm_setzero_si128();
    __m128i block_back = _mm_setzero_si128();
    for (std::size_t i = n; i < n + kSameDayBlock; i += 2) {
      const __m128i now = _mm_loadu_si128(reinterpret_cast<const __m128i*>(time + i));
      const __m128i before = _mm_loadu_si128(reinterpret_cast<const __m128i*>(time + i - 1));
      const __m128i of_day = _mm_sub_epi64(now, midnight_lanes);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(time_of_day + i), of_day);
      outside = _mm_or_si128(outside, _mm_or_si128(of_day, _mm_add_epi64(of_day, past_day)));
      block_back = _mm_or_si128(block_back, _mm_sub_epi64(now, before));
    }
    if (_mm_movemask_epi8(_mm_cmpeq_epi32(_mm_srli_epi64(outside, 37), _mm_setzero_si128())) != 0xFFFF) break;
    back = _mm_or_si128(back, block_back);
  }
  backwards = _mm_movemask_pd(_mm_castsi128_pd(back)) != 0;
  return n;
}

// Eight donations at a time.
__attribute__((target("avx512f"))) std::size_t blocks_avx512(const Micros* time, std::size_t n, std::size_t most,
                                                             Micros midnight, Micros* time_of_day, bool& backwards) {
  const __m512i midnight_lanes = _mm512_set1_epi64(midnight);
  const __m512i past_day = _mm512_set1_epi64(kPastDay);
  const __m512i day_bits = _mm512_set1_epi64(~((Micros{1} << 37) - 1));
  __mmask8 back = 0;
  for (; n + kSameDayBlock <= most; n += kSameDayBlock) {
    __m512i outside = _mm512_setzero_si512();
    __mmask8 block_back = 0;
    for (std::size_t i = n; i < n + kSameDayBlock; i += 8) {
      const __m512i now = _mm512_loadu_si512(time + i);
      const __m512i of_day = _mm512_sub_epi64(now, midnight_lanes);
      _mm512_storeu_si512(time_of_day + i, of_day);
      outside = _mm512_or_si512(outside, _mm512_or_si512(of_day, _mm512_add_epi64(of_day, past_day)));
      block_back |= _mm512_cmplt_epi64_mask(now, _mm512_loadu_si512(time + i - 1));
    }
    if (_mm512_test_epi64_mask(outside, day_bits) != 0) break;
    back |= block_back;
  }
  backwards = back != 0;
  return n;
}

const bool kHasAvx512 = cpu_has_avx512();

}  // namespace

std::size_t same_day_blocks(const Micros* time, std::size_t from, std::size_t most, Micros midnight,
                            Micros* time_of_day, bool& backwards) {
  return kHasAvx512 ? blocks_avx512(time, from, most, midnight, time_of_day, backwards)
                    : blocks_sse2(time, from, most, midnight, time_of_day, backwards);
}

}  // namespace matchfund
