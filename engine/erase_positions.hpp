// Removing the rows a stream drops (duplicate ids) from its columns.
#pragma once

#include <cstdint>
#include <vector>

namespace matchfund {

// Removes the elements at `positions` (ascending, each below v.size()); the
// others keep their order. One pass from the first removed element on.
template <class T, class Allocator>
void erase_positions(std::vector<T, Allocator>& v, const std::vector<std::uint32_t>& positions) {
  if (positions.empty()) return;
  std::size_t kept = positions.front();
  auto removed = positions.begin();
  for (std::size_t k = kept; k < v.size(); ++k) {
    if (removed != positions.end() && *removed == k) {
      ++removed;
      continue;
    }
    v[kept++] = v[k];
  }
  v.resize(kept);
}

}  // namespace matchfund
