// The hash Interner tables key names by (donors, projects, channels...).
// Unlike fnv1a64, which SPEC section 3 fixes for random ratios and which
// takes one multiply per byte in a chain, it takes one per 8 bytes: names
// are hashed on the parse's reading thread, which had become the one the
// other waited on. Nothing outside a table depends on its values.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace matchfund {

// The n < 8 bytes at p as the low bytes of a word, zeros above, reading
// nothing outside them (a name may end where a mapped file ends).
inline std::uint64_t load_short(const char* p, std::size_t n) {
  std::uint32_t lo, hi;
  if (n >= 4) {
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return lo | (std::uint64_t{hi} << (8 * (n - 4)));
  }
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < n; ++k) v |= std::uint64_t{static_cast<unsigned char>(p[k])} << (8 * k);
  return v;
}

inline std::uint64_t load_word(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Eight bytes at a time; the last word overlaps the one before when the
// length is not a multiple of 8. For names of up to 8 bytes of one length it
// is one-to-one. Interner spreads it with splitmix64 before picking a slot.
inline std::uint64_t name_hash(std::string_view s) {
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  auto mix = [](std::uint64_t x) {
    x *= kMultiplier;
    return x ^ (x >> 29);
  };
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t h = (n + 1) * 0xBF58476D1CE4E5B9ull;
  if (n < 8) return mix(h ^ load_short(p, n));
  for (std::size_t k = 0; k + 8 < n; k += 8) h = mix(h ^ load_word(p + k));
  return mix(h ^ load_word(p + n - 8));
}

}  // namespace matchfund
