#include "engine/interner.hpp"

#include <cstdint>
#include <cstring>

#include "engine/huge_pages.hpp"

namespace matchfund {

namespace {

std::uint64_t load8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

std::uint64_t load4(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

// Loads that stay inside the string: for 9 to 15 bytes the last 8 overlap
// the first and are shifted down to the bytes past the eighth; below 8, two
// overlapping 4-byte loads (or three single bytes) cover every byte. For a
// given length the key is a one-to-one function of the bytes, and the length
// is its top byte.
Interner::Key Interner::key_of(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  if (n > kKeyBytes) return {load8(p), (load8(p + kKeyBytes - 8) >> 8) | (std::uint64_t{255} << 56)};
  const std::uint64_t length = std::uint64_t{n} << 56;
  if (n > 8) return {load8(p), (load8(p + n - 8) >> (8 * (16 - n))) | length};
  if (n == 8) return {load8(p), length};
  if (n >= 4) return {load4(p) | (load4(p + n - 4) << 32), length};
  if (n > 0) {
    const auto byte = [&](std::size_t k) { return std::uint64_t{static_cast<unsigned char>(p[k])}; };
    return {byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16), length};
  }
  return {0, 0};
}

std::size_t Interner::slot_of(std::string_view s, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t spread = spread_of(hash);
  std::size_t i = static_cast<std::size_t>(spread) & mask;
  const std::uint32_t tag = tag_of(spread);
  auto same_bytes = [&](std::uint32_t index) {
    std::string_view existing = name(index);
    // memcmp of zero bytes from a null pointer is undefined: compare sizes first.
    return existing.size() == s.size() && (s.empty() || std::memcmp(existing.data(), s.data(), s.size()) == 0);
  };
  if (keep_keys_) {
    const Key key = key_of(s);
    for (;;) {
      const Slot slot = slots_[i];
      if (slot.index == kEmpty) return i;
      if (slot.tag == tag && keys_[slot.index] == key && (s.size() <= kKeyBytes || same_bytes(slot.index))) return i;
      i = (i + 1) & mask;
    }
  }
  for (;;) {
    const Slot slot = slots_[i];
    if (slot.index == kEmpty) return i;
    if (slot.tag == tag && same_bytes(slot.index)) return i;
    i = (i + 1) & mask;
  }
}

void Interner::grow(std::size_t size) {
  std::vector<Slot> fresh;
  fresh.reserve(size);
  advise_huge_pages(fresh.data(), size * sizeof(Slot));
  fresh.assign(size, Slot{kEmpty, 0});
  slots_ = std::move(fresh);
  const std::size_t mask = size - 1;
  for (std::uint32_t k = 0; k < this->size(); ++k) {
    const std::uint64_t spread = spread_of(hashes_[k]);
    std::size_t i = static_cast<std::size_t>(spread) & mask;
    while (slots_[i].index != kEmpty) i = (i + 1) & mask;
    slots_[i] = {k, tag_of(spread)};
  }
}

void Interner::reserve_arrays(std::size_t strings, std::size_t bytes) {
  bytes_.reserve(bytes);
  offsets_.reserve(strings + 1);
  hashes_.reserve(strings);
  if (keep_keys_) keys_.reserve(strings);
}

void Interner::reserve(std::size_t strings, std::size_t bytes) {
  reserve_arrays(strings, bytes);
  // Straight to the final size: doubling step by step would fill (and fault
  // in) every smaller table on the way.
  std::size_t size = slots_.empty() ? 64 : slots_.size();
  while (size < 2 * strings) size *= 2;
  if (size > slots_.size()) grow(size);
}

std::pair<std::uint32_t, bool> Interner::intern(std::string_view s, std::uint64_t hash) {
  // Grown past 3/5 full, not 1/2: linear probing over tagged 8-byte slots stays
  // short, and at scale 1 the 4.3M donors then fit 8M slots instead of
  // doubling to 16M (+134 MB) near the end of the file, at the run's peak memory.
  if ((size() + 1) * 5 > slots_.size() * 3) grow(slots_.empty() ? 64 : slots_.size() * 2);
  std::size_t i = slot_of(s, hash);
  if (slots_[i].index != kEmpty) return {slots_[i].index, false};
  std::uint32_t index = size();
  bytes_.insert(bytes_.end(), s.begin(), s.end());
  offsets_.push_back(bytes_.size());
  hashes_.push_back(hash);
  if (keep_keys_) keys_.push_back(key_of(s));
  slots_[i] = {index, tag_of(spread_of(hash))};
  return {index, true};
}

std::optional<std::uint32_t> Interner::find(std::string_view s) const {
  if (slots_.empty()) return std::nullopt;
  std::size_t i = slot_of(s, fnv1a64(s));
  if (slots_[i].index == kEmpty) return std::nullopt;
  return slots_[i].index;
}

}  // namespace matchfund
