// Transparent huge pages for big arrays read at random (interner tables, cap
// counters): with 4 KiB pages nearly every such access misses the TLB.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace matchfund {

// Asks for huge pages over the 2 MiB-aligned part of [data, data + bytes).
// Call before the first write, so the pages are faulted in huge.
inline void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace matchfund
