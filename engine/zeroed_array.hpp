// An array of counters that starts at zero and only grows, on PageCache
// blocks: a big one's pages are faulted in when first touched, not when the
// array is made (see engine/page_cache.hpp).
#pragma once

#include <cstddef>
#include <cstring>
#include <type_traits>
#include <utility>

#include "engine/page_cache.hpp"

namespace matchfund {

template <class T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T>, "elements are zero bytes and moved by memcpy");

 public:
  using value_type = T;

  ZeroedArray() = default;
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  ZeroedArray(ZeroedArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  ZeroedArray& operator=(ZeroedArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~ZeroedArray() {
    if (data_) PageCache::deallocate(data_, size_ * sizeof(T));
  }

  // Extends the array to `size` elements, the new ones zero; never shrinks.
  void grow(std::size_t size) {
    if (size <= size_) return;
    T* fresh = static_cast<T*>(PageCache::allocate_zeroed(size * sizeof(T)));
    if (data_) {
      std::memcpy(fresh, data_, size_ * sizeof(T));
      PageCache::deallocate(data_, size_ * sizeof(T));
    }
    data_ = fresh;
    size_ = size;
  }

  std::size_t size() const { return size_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace matchfund
