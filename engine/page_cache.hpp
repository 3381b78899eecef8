// Zero-filled blocks for big arrays read and written at random (cap counters).
//
// A big block comes straight from the kernel (mmap): its pages read as zero
// and cost nothing until first touched, so a day's donor counters pay only
// for the part of the donor range that day reaches (donors are numbered in
// order of first appearance, so an early day reaches the low part only).
// Filling such a block with zeros would fault in every page of it.
//
// A thread that frees big arrays and soon asks for the same sizes again (a
// sweep worker's counters, scenario after scenario) installs a PageCache: the
// freed blocks are kept and handed out again, cleared, instead of new pages
// from the kernel, each faulted in and cleared, which cost a tenth of a sweep scenario.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>

#include "engine/huge_pages.hpp"

namespace matchfund {

class PageCache {
 public:
  // Smaller blocks come from calloc and go back to free.
  static constexpr std::size_t kMinBytes = std::size_t{1} << 20;

  PageCache() = default;
  PageCache(const PageCache&) = delete;
  PageCache& operator=(const PageCache&) = delete;
  ~PageCache() {
    for (auto& [bytes, block] : blocks_) ::munmap(block, bytes);
  }

  // Installs a cache for this thread's blocks while it lives.
  class Use {
   public:
    explicit Use(PageCache& cache) : previous_(current_) { current_ = &cache; }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    ~Use() { current_ = previous_; }

   private:
    PageCache* previous_;
  };

  // `bytes` (> 0) zero bytes; a big block is advised huge pages.
  static void* allocate_zeroed(std::size_t bytes) {
    if (bytes < kMinBytes) {
      void* block = std::calloc(bytes, 1);
      if (!block) throw std::bad_alloc();
      return block;
    }
    if (current_) {
      auto it = current_->blocks_.find(bytes);
      if (it != current_->blocks_.end()) {
        void* block = it->second;
        current_->blocks_.erase(it);
        std::memset(block, 0, bytes);
        return block;
      }
    }
    void* block = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) throw std::bad_alloc();
    advise_huge_pages(block, bytes);
    return block;
  }
  // Takes back a block from allocate_zeroed of the same size.
  static void deallocate(void* block, std::size_t bytes) {
    if (bytes < kMinBytes)
      std::free(block);
    else if (current_)
      current_->blocks_.emplace(bytes, block);
    else
      ::munmap(block, bytes);
  }

 private:
  static inline thread_local PageCache* current_ = nullptr;
  std::multimap<std::size_t, void*> blocks_;  // free blocks by size
};

}  // namespace matchfund
