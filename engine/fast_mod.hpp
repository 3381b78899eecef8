// a % d by multiplications, for a divisor fixed ahead of many divisions (a
// random rate's number of points). The quotient is floor(a * m / 2^(65 + l))
// with l = floor(log2 d) and m = floor(2^(65 + l) / d) + 1, a 65-bit
// multiplier kept as m - 2^64 (Granlund and Montgomery, "Division by
// invariant integers using multiplication", 1994; the 65-bit form as in
// libdivide's branch-free divider). Exact for every 64-bit a: m * d exceeds
// 2^(65 + l) by at most d < 2^(l + 1), and a < 2^64. One wide multiplication
// per remainder; a power of two (1 included) is a mask.
#pragma once

#include <bit>
#include <cstdint>

namespace matchfund {

class FastMod {
 public:
  explicit FastMod(std::uint64_t d) : d_(d), power_of_two_(std::has_single_bit(d)) {
    if (power_of_two_) return;
    shift_ = static_cast<unsigned>(std::bit_width(d) - 1);
    // floor(2^(65 + l) / d) from floor(2^(64 + l) / d), so the dividend fits 128 bits.
    const Wide dividend = Wide{1} << (64 + shift_);
    const Wide half = dividend / d, rest = dividend % d;
    const Wide m = 2 * half + (2 * rest >= d ? 1 : 0) + 1;
    magic_ = static_cast<std::uint64_t>(m - (Wide{1} << 64));
  }

  std::uint64_t divisor() const { return d_; }

  std::uint64_t operator()(std::uint64_t a) const {
    if (power_of_two_) return a & (d_ - 1);
    const std::uint64_t t = static_cast<std::uint64_t>((static_cast<Wide>(magic_) * a) >> 64);
    // (a + t) / 2 without overflow (t <= a), then the rest of the shift.
    const std::uint64_t quotient = (((a - t) >> 1) + t) >> shift_;
    return a - quotient * d_;
  }

 private:
  using Wide = unsigned __int128;
  std::uint64_t d_;
  bool power_of_two_;
  unsigned shift_ = 0;
  std::uint64_t magic_ = 0;
};

}  // namespace matchfund
