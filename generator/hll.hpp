// HyperLogLog (Flajolet et al. 2007, with the small-range correction): the
// number of distinct donors in 16 KiB whatever the scale, within about 1%.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/hash.hpp"

namespace matchfund::gen {

class Hll {
 public:
  static constexpr int kBits = 14;
  Hll() : registers_(std::size_t{1} << kBits, 0) {}
  void add(std::uint64_t value) {
    const std::uint64_t h = splitmix64(value ^ 0x5851F42D4C957F2Dull);
    const std::size_t index = h >> (64 - kBits);
    const std::uint64_t rest = (h << kBits) | (std::uint64_t{1} << (kBits - 1));
    const auto rank = static_cast<std::uint8_t>(std::countl_zero(rest) + 1);
    if (rank > registers_[index]) registers_[index] = rank;
  }
  double estimate() const {
    const double m = static_cast<double>(registers_.size());
    double sum = 0;
    int zeros = 0;
    for (std::uint8_t r : registers_) {
      sum += std::ldexp(1.0, -r);
      zeros += r == 0;
    }
    const double raw = 0.7213 / (1 + 1.079 / m) * m * m / sum;
    if (raw <= 2.5 * m && zeros > 0) return m * std::log(m / zeros);
    return raw;
  }
  std::size_t bytes() const { return registers_.size(); }

 private:
  std::vector<std::uint8_t> registers_;
};

}  // namespace matchfund::gen
