#include "engine/repeated_hashes.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include "engine/hash.hpp"

namespace matchfund {

namespace {

// As in find_repeats: partitions of about this many hashes, at most 2^11 of
// them (more write streams at once thrash the TLB).
constexpr std::size_t kPartitionTarget = 4096;
constexpr int kMaxPartitionBits = 11;
// Two threads from this many hashes on: below it a thread costs more than it saves.
constexpr std::size_t kTwoThreadsFrom = std::size_t{1} << 16;

// Whether a partition holds a hash twice. `table` is scratch, reused.
bool repeats_within(const std::vector<std::uint64_t>& hashes, std::vector<std::uint64_t>& table) {
  std::size_t size = 16;
  while (size < 2 * hashes.size()) size *= 2;
  table.assign(size, 0);  // 0: empty, so a hash 0 is counted apart
  const std::size_t mask = size - 1;
  bool zero = false;
  for (const std::uint64_t h : hashes) {
    if (h == 0) {
      if (zero) return true;
      zero = true;
      continue;
    }
    // The partition shares its hashes' top bits; the slot comes from splitmix64 of the whole hash.
    for (std::size_t slot = splitmix64(h) & mask;; slot = (slot + 1) & mask) {
      if (table[slot] == h) return true;
      if (table[slot] == 0) {
        table[slot] = h;
        break;
      }
    }
  }
  return false;
}

}  // namespace

RepeatedHashes::RepeatedHashes(std::size_t expected) {
  while (bits_ < kMaxPartitionBits && (expected >> bits_) > kPartitionTarget) ++bits_;
  partitions_.resize(std::size_t{1} << bits_);
  // A little over the expected share each, so that few grow (and copy) on the way.
  const std::size_t share = (expected >> bits_) + (expected >> bits_) / 8 + 16;
  for (std::vector<std::uint64_t>& partition : partitions_) partition.reserve(share);
}

bool RepeatedHashes::any() const {
  std::size_t total = 0;
  for (const std::vector<std::uint64_t>& partition : partitions_) total += partition.size();
  const unsigned threads = total >= kTwoThreadsFrom ? 2 : 1;
  std::atomic<bool> found{false};
  auto check = [&](unsigned t) {
    std::vector<std::uint64_t> table;
    for (std::size_t p = partitions_.size() * t / threads; p < partitions_.size() * (t + 1) / threads; ++p) {
      if (found.load(std::memory_order_relaxed)) return;
      if (repeats_within(partitions_[p], table)) found.store(true, std::memory_order_relaxed);
    }
  };
  if (threads == 1) {
    check(0);
  } else {
    std::thread helper(check, 0);
    check(1);
    helper.join();
  }
  return found.load();
}

}  // namespace matchfund
