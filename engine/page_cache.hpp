// Big arrays that a thread frees and soon asks for again at the same size (a
// sweep worker's cap counters, scenario after scenario) keep their pages: a
// fresh allocation of that size would be new pages from the kernel, each
// faulted in and cleared, which cost a tenth of a sweep scenario.
#pragma once

#include <cstddef>
#include <map>
#include <new>

namespace matchfund {

class PageCache {
 public:
  // Smaller blocks go straight to operator new and delete.
  static constexpr std::size_t kMinBytes = std::size_t{1} << 20;

  PageCache() = default;
  PageCache(const PageCache&) = delete;
  PageCache& operator=(const PageCache&) = delete;
  ~PageCache() {
    for (auto& [bytes, block] : blocks_) ::operator delete(block);
  }

  // Installs a cache for this thread's RecyclingAllocator while it lives.
  class Use {
   public:
    explicit Use(PageCache& cache) : previous_(current_) { current_ = &cache; }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    ~Use() { current_ = previous_; }

   private:
    PageCache* previous_;
  };

  static void* allocate(std::size_t bytes) {
    if (current_ && bytes >= kMinBytes) {
      auto it = current_->blocks_.find(bytes);
      if (it != current_->blocks_.end()) {
        void* block = it->second;
        current_->blocks_.erase(it);
        return block;
      }
    }
    return ::operator new(bytes);
  }
  // Every block comes from operator new, so any block can go to the cache and back.
  static void deallocate(void* block, std::size_t bytes) {
    if (current_ && bytes >= kMinBytes)
      current_->blocks_.emplace(bytes, block);
    else
      ::operator delete(block);
  }

 private:
  static inline thread_local PageCache* current_ = nullptr;
  std::multimap<std::size_t, void*> blocks_;  // free blocks by size
};

// A std::vector allocator that goes through the thread's PageCache, if any.
// Contents of a reused block are not cleared: the vector writes every element.
template <class T>
struct RecyclingAllocator {
  using value_type = T;
  RecyclingAllocator() = default;
  template <class U>
  RecyclingAllocator(const RecyclingAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(PageCache::allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) { PageCache::deallocate(p, n * sizeof(T)); }
  friend bool operator==(const RecyclingAllocator&, const RecyclingAllocator&) { return true; }
};

}  // namespace matchfund
