// Filling a big new array on two threads. New memory costs far more than
// writing it (each page is faulted in and cleared by the kernel; on a VM whose
// host takes freed memory back, the host faults it in too: about 0.5 ms a MB
// on the machine of docs/performance.md), so when the other core is idle,
// splitting the first touch of a table of a hundred MB halves a wait.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>

namespace matchfund {

// Below this size a second thread costs more than it saves.
inline constexpr std::size_t kParallelFillBytes = std::size_t{32} << 20;

template <class T>
void fill_on_two_threads(T* data, std::size_t count, const T& value) {
  if (count * sizeof(T) < kParallelFillBytes) {
    std::fill(data, data + count, value);
    return;
  }
  const std::size_t half = count / 2;
  std::thread helper([&] { std::fill(data + half, data + count, value); });
  std::fill(data, data + half, value);
  helper.join();
}

}  // namespace matchfund
