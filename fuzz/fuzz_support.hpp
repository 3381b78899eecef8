// Shared by the fuzz targets: bad input must end in a matchfund::Error (the
// documented outcome, exit 2, 3 or 4); anything else escapes and crashes the
// target (an uncaught exception aborts, which libFuzzer reports).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace matchfund::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs f; a matchfund::Error is an expected answer to bad input. Returns
// true when f completed without one.
template <class F>
bool errors_only(F&& f) {
  try {
    f();
    return true;
  } catch (const Error& e) {
    if (std::string_view(e.what()).empty()) {
      std::fprintf(stderr, "an Error without a message\n");
      std::abort();
    }
    return false;
  }
}

// A broken invariant: print it and abort, so libFuzzer saves the input.
[[noreturn]] inline void violated(const std::string& what) {
  std::fprintf(stderr, "invariant violated: %s\n", what.c_str());
  std::abort();
}

}  // namespace matchfund::fuzz
