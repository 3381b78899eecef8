// Strings stored one after another in one byte arena, each with its hash:
// the donation ids of a stream (fnv1a64, which random ratios use), and the
// strings an Interner holds (name_hash).
// Appending allocates only when an array grows, never per string.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace matchfund {

class StringColumn {
 public:
  // `hash` must be the column's hash of s: fnv1a64(s) or name_hash(s), as above.
  void append(std::string_view s, std::uint64_t hash) {
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    offsets_.push_back(bytes_.size());
    hashes_.push_back(hash);
  }
  // Appends `count` strings stored one after another in `bytes`, string k
  // ending at ends[k], with hashes hashes[0, count).
  void append(std::string_view bytes, const std::uint32_t* ends, const std::uint64_t* hashes, std::size_t count) {
    const std::uint64_t base = bytes_.size();
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    const std::size_t at = offsets_.size();
    offsets_.resize(at + count);
    for (std::size_t k = 0; k < count; ++k) offsets_[at + k] = base + ends[k];
    hashes_.insert(hashes_.end(), hashes, hashes + count);
  }
  std::string_view name(std::uint32_t index) const {
    return {bytes_.data() + offsets_[index], offsets_[index + 1] - offsets_[index]};
  }
  std::uint64_t hash(std::uint32_t index) const { return hashes_[index]; }
  // The bytes of the strings first to last (first <= last < size()), one after another.
  std::string_view bytes(std::uint32_t first, std::uint32_t last) const {
    return {bytes_.data() + offsets_[first], offsets_[last + 1] - offsets_[first]};
  }
  const std::uint64_t* hash_data() const { return hashes_.data(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(hashes_.size()); }
  // Removes every string, keeping the memory for the next ones.
  void clear() {
    bytes_.clear();
    offsets_.resize(1);
    hashes_.clear();
  }
  // Room for this many strings and bytes in all.
  void reserve(std::size_t strings, std::size_t bytes);
  // Removes the strings at `positions` (ascending, each below size()); the
  // others keep their order.
  void erase(const std::vector<std::uint32_t>& positions);

 private:
  std::vector<char> bytes_;
  std::vector<std::uint64_t> offsets_{0};
  std::vector<std::uint64_t> hashes_;
};

}  // namespace matchfund
