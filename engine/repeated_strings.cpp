#include "engine/repeated_strings.hpp"

#include <algorithm>
#include <limits>
#include <thread>

#include "engine/default_init_allocator.hpp"
#include "engine/hash.hpp"

namespace matchfund {

namespace {

// The strings are first split by the top bits of their hash into partitions
// of about this many, so that each partition's hash table stays in the
// core's cache. At most 2^11 partitions: more write streams than that at
// once thrash the TLB while splitting.
constexpr std::size_t kPartitionTarget = 4096;
constexpr int kMaxPartitionBits = 11;
// Two threads (this machine's cores) from this many strings on: below it a
// thread costs more than it saves.
constexpr std::uint32_t kTwoThreadsFrom = 1u << 16;
constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();

// Runs work(0) .. work(threads - 1), each but the last on its own thread.
template <class Work>
void run_split(unsigned threads, Work&& work) {
  std::vector<std::thread> helpers;
  for (unsigned t = 0; t + 1 < threads; ++t) helpers.emplace_back(work, t);
  work(threads - 1);
  for (std::thread& helper : helpers) helper.join();
}

}  // namespace

std::vector<std::uint32_t> find_repeats(const StringColumn& column) {
  const std::uint32_t n = column.size();
  int bits = 0;
  while (bits < kMaxPartitionBits && (std::size_t{n} >> bits) > kPartitionTarget) ++bits;
  const std::size_t partitions = std::size_t{1} << bits;
  // FNV-1a's top bits mix every byte (its last step is a multiplication);
  // its low bits do not, so the tables index by splitmix64 of the hash.
  const auto partition_of = [bits](std::uint64_t hash) {
    return bits == 0 ? std::size_t{0} : static_cast<std::size_t>(hash >> (64 - bits));
  };
  const std::uint64_t* hash = column.hash_data();
  const unsigned threads = n >= kTwoThreadsFrom ? 2 : 1;
  // Thread t splits positions [first(t), first(t + 1)), then looks for
  // repeats in partitions [t * partitions / threads, ...).
  const auto first = [&](unsigned t) { return static_cast<std::uint32_t>(std::uint64_t{n} * t / threads); };

  // Split, keeping each partition's strings in position order (thread 0's
  // part of a partition before thread 1's), so that the first of equal
  // strings is the one kept.
  std::vector<std::vector<std::uint32_t>> next(threads, std::vector<std::uint32_t>(partitions, 0));
  run_split(threads, [&](unsigned t) {
    for (std::uint32_t k = first(t); k < first(t + 1); ++k) ++next[t][partition_of(hash[k])];
  });
  std::vector<std::uint32_t> start(partitions + 1, 0);
  for (std::size_t p = 0, at = 0; p < partitions; ++p) {
    start[p] = static_cast<std::uint32_t>(at);
    for (unsigned t = 0; t < threads; ++t) {
      const std::uint32_t count = next[t][p];
      next[t][p] = static_cast<std::uint32_t>(at);
      at += count;
    }
  }
  start[partitions] = n;
  // Not zeroed first: every entry is written below, and the new pages are
  // then faulted in by both threads (see parallel_fill.hpp).
  std::vector<std::uint64_t, DefaultInitAllocator<std::uint64_t>> part_hash(n);
  std::vector<std::uint32_t, DefaultInitAllocator<std::uint32_t>> part_position(n);
  run_split(threads, [&](unsigned t) {
    std::vector<std::uint32_t>& to = next[t];
    for (std::uint32_t k = first(t); k < first(t + 1); ++k) {
      const std::uint32_t at = to[partition_of(hash[k])]++;
      part_hash[at] = hash[k];
      part_position[at] = k;
    }
  });

  std::vector<std::vector<std::uint32_t>> found(threads);
  run_split(threads, [&](unsigned t) {
    std::vector<std::uint32_t> table;  // partition-relative entries, reused
    for (std::size_t p = partitions * t / threads; p < partitions * (t + 1) / threads; ++p) {
      const std::uint32_t begin = start[p], count = start[p + 1] - begin;
      std::size_t size = 16;
      while (size < 2 * std::size_t{count}) size *= 2;
      table.assign(size, kEmpty);
      const std::size_t mask = size - 1;
      for (std::uint32_t e = 0; e < count; ++e) {
        const std::uint64_t h = part_hash[begin + e];
        const std::uint32_t position = part_position[begin + e];
        for (std::size_t slot = splitmix64(h) & mask;; slot = (slot + 1) & mask) {
          const std::uint32_t held = table[slot];
          if (held == kEmpty) {
            table[slot] = e;
            break;
          }
          if (part_hash[begin + held] == h && column.name(part_position[begin + held]) == column.name(position)) {
            found[t].push_back(position);
            break;
          }
        }
      }
    }
  });
  std::vector<std::uint32_t> repeats;
  for (const std::vector<std::uint32_t>& part : found) repeats.insert(repeats.end(), part.begin(), part.end());
  std::sort(repeats.begin(), repeats.end());
  return repeats;
}

}  // namespace matchfund
