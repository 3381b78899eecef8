// A random rate's pick (SPEC 4): ratio = min + step * (splitmix64(key ^ id
// hash) % points), key = seed XOR fnv1a64(pool id); the base is
// floor(amount * ratio). Shared by the plain loop and the AVX-512 one.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/cpu_features.hpp"
#include "engine/fast_mod.hpp"
#include "engine/hash.hpp"
#include "policies/policy.hpp"

namespace matchfund {

struct RandomGrid {
  Ratio min, step;
  FastMod points;     // index = hash % points
  std::uint64_t key;  // seed XOR fnv1a64(pool id), fixed per pool

  Minor base(Minor amount, std::uint64_t id_hash) const {
    const std::uint64_t index = points(splitmix64(key ^ id_hash));
    return ratio_base(amount, Ratio{min.micros + static_cast<std::int64_t>(index) * step.micros});
  }
};

// Rate::bases for a random rate, one donation at a time: out[j] =
// grid.base(amount[index[j]], id_hash[index[j]]) for j < n; returns whether
// one of them is kBaseOverflow.
inline bool random_bases_one_by_one(const RandomGrid& grid, const Minor* amount, const std::uint64_t* id_hash,
                                    const std::uint16_t* index, std::size_t n, Minor* __restrict out) {
  bool overflow = false;
  for (std::size_t j = 0; j < n; ++j) {
    out[j] = grid.base(amount[index[j]], id_hash[index[j]]);
    overflow |= out[j] == kBaseOverflow;
  }
  return overflow;
}

// The AVX-512 loop takes grids of at most this many points (its remainder
// is exact for these: see random_bases_avx512.cpp).
inline constexpr std::uint64_t kMaxVectorPoints = std::uint64_t{1} << 16;

// random_bases_one_by_one's results for index increasing, eight donations
// at a time where the list is dense. Only where cpu_has_avx512_ifma() and
// grid.points.divisor() <= kMaxVectorPoints.
bool random_bases_avx512(const RandomGrid& grid, const Minor* amount, const std::uint64_t* id_hash,
                         const std::uint16_t* index, std::size_t n, Minor* out);

}  // namespace matchfund
