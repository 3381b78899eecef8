// A snapshot of the live engine's state, so that opening a data directory
// replays only the journal written since. It holds what cannot be derived
// (reservations with their keys, grants and headrooms; the clock; top-ups and
// frozen projects; names in index order; per-pool history); the cap counters
// are rebuilt by counting the grants of held and confirmed reservations again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/live_engine.hpp"

namespace matchfund {

class LiveSnapshot {
 public:
  static std::string encode(const LiveEngine& e, std::uint64_t identity, std::uint64_t generation);
  // Restores `e`, freshly opened on the same rules and projects, from `bytes`.
  // False with `error` when the snapshot is damaged or from other rules.
  static bool decode(std::string_view bytes, std::uint64_t identity, std::uint64_t generation, LiveEngine& e,
                     std::string& error);
};

}  // namespace matchfund
