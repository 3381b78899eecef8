// A std::vector allocator whose resize() leaves new elements of a trivial
// type unwritten (default-initialised, not zeroed): for big arrays that are
// filled right after, so that their new pages are touched once, by whoever
// fills them, and not first by a memset.
#pragma once

#include <memory>
#include <new>
#include <utility>

namespace matchfund {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <class U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}

  template <class U>
  void construct(U* p) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

}  // namespace matchfund
