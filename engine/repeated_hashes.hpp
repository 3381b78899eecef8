// Whether any of a stream's hashes repeats, told without keeping them in
// stream order: each hash goes to a partition by its top bits as it comes,
// and at the end each partition, small enough for a table in the core's
// cache, is checked on its own, on both cores. (find_repeats does the same
// for ids it has whole, and names the repeats; a streamed run only needs to
// know whether there is one.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace matchfund {

class RepeatedHashes {
 public:
  // Partitions sized for about `expected` hashes (more only grow them).
  explicit RepeatedHashes(std::size_t expected);

  void add(const std::uint64_t* hashes, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) partitions_[partition_of(hashes[k])].push_back(hashes[k]);
  }

  // True when some hash was added more than once.
  bool any() const;

 private:
  std::size_t partition_of(std::uint64_t hash) const {
    return bits_ == 0 ? 0 : static_cast<std::size_t>(hash >> (64 - bits_));
  }

  int bits_ = 0;
  std::vector<std::vector<std::uint64_t>> partitions_;
};

}  // namespace matchfund
