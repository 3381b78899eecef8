// a % d by multiplications, for a divisor fixed ahead of many divisions (a
// random rate's number of points): Lemire, Kaser and Kurz, "Faster remainder
// by direct computation" (2019), exact for every 64-bit a and d >= 1.
#pragma once

#include <cstdint>

namespace matchfund {

class FastMod {
 public:
  explicit FastMod(std::uint64_t d) : d_(d), m_(~Wide{0} / d + 1) {}

  std::uint64_t divisor() const { return d_; }

  std::uint64_t operator()(std::uint64_t a) const {
    const Wide low = m_ * a;  // the fraction a / d, modulo 1, in 128 bits
    // (low * d) >> 128 without a 256-bit product.
    const Wide bottom = ((low & ~std::uint64_t{0}) * d_) >> 64;
    return static_cast<std::uint64_t>((bottom + (low >> 64) * d_) >> 64);
  }

 private:
  using Wide = unsigned __int128;
  std::uint64_t d_;
  Wide m_;  // ceil(2^128 / d), which wraps to 0 for d = 1
};

}  // namespace matchfund
