// Random numbers for the workload generator: xoshiro256** streams seeded
// through splitmix64, a counter-based hash for values that a pre-pass and the
// main pass must agree on, and a Weyl sequence for stratified quantiles.
// Nothing here is std::mt19937: the hot loop draws a handful per row.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/hash.hpp"

namespace matchfund::gen {

// The value of draw `index` of stream `stream` under `seed`: the same inputs
// give the same value whatever else was drawn (SplitMix64 finaliser twice).
inline std::uint64_t counter_hash(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  return splitmix64(splitmix64(seed ^ (stream * 0xD1B54A32D192ED03ull)) ^ index);
}

// Uniform in [0, 1) from the top 53 bits.
inline double to_unit(std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; }

// xoshiro256** 1.0 (Blackman and Vigna), state filled by splitmix64.
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t x = counter_hash(seed, stream, 0);
    for (auto& word : s_) {
      x += 0x9E3779B97F4A7C15ull;
      word = splitmix64(x);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return to_unit(next()); }
  // In [0, n) by multiply-shift (Lemire without the rejection step: the bias is below 2^-32 for our n).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  bool chance(double p) { return uniform() < p; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// u_n = frac(start + n / golden ratio) in 64-bit fixed point: every prefix of
// the sequence covers [0, 1) almost evenly, so a quantile table read through it
// gives sums within about one table entry of n times the table's mean. The
// values come out in blocks of 64 consecutive terms, each block shuffled, so
// that neighbouring rows are not visibly correlated (consecutive terms of the
// bare sequence are 0.618 apart).
class Weyl {
 public:
  static constexpr std::size_t kBlock = 64;
  Weyl(std::uint64_t start, std::uint64_t shuffle_seed) : x_(start), rng_(shuffle_seed, 0x5745594Cull) {}
  std::uint64_t next() {
    if (pos_ == kBlock) refill();
    return block_[pos_++];
  }

 private:
  void refill() {
    for (auto& v : block_) v = x_ += 0x9E3779B97F4A7C15ull;  // 2^64 / golden ratio, odd
    for (std::size_t i = kBlock - 1; i > 0; --i) {
      const std::size_t j = rng_.below(i + 1);
      const std::uint64_t t = block_[i];
      block_[i] = block_[j];
      block_[j] = t;
    }
    pos_ = 0;
  }
  std::uint64_t x_;
  Rng rng_;
  std::uint64_t block_[kBlock] = {};
  std::size_t pos_ = kBlock;
};

}  // namespace matchfund::gen
