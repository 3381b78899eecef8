#include "engine/string_column.hpp"

#include <algorithm>

#include "engine/erase_positions.hpp"

namespace matchfund {

void StringColumn::reserve(std::size_t strings, std::size_t bytes) {
  bytes_.reserve(bytes);
  offsets_.reserve(strings + 1);
  hashes_.reserve(strings);
}

void StringColumn::erase(const std::vector<std::uint32_t>& positions) {
  if (positions.empty()) return;
  // The bytes and offsets compact in place, front to back: a kept string only
  // ever moves down.
  std::size_t kept = positions.front();
  std::size_t byte_end = offsets_[kept];
  auto removed = positions.begin();
  for (std::size_t k = kept; k < hashes_.size(); ++k) {
    if (removed != positions.end() && *removed == k) {
      ++removed;
      continue;
    }
    const std::uint64_t begin = offsets_[k], end = offsets_[k + 1];
    std::copy(bytes_.begin() + static_cast<std::ptrdiff_t>(begin), bytes_.begin() + static_cast<std::ptrdiff_t>(end),
              bytes_.begin() + static_cast<std::ptrdiff_t>(byte_end));
    byte_end += end - begin;
    offsets_[++kept] = byte_end;
  }
  offsets_.resize(kept + 1);
  bytes_.resize(byte_end);
  erase_positions(hashes_, positions);
}

}  // namespace matchfund
