// What a pool granted in one cap scope (a donor, a project, ...) and period.
// Campaign-period counters are a dense array. Day-period counters keep each
// scope's most recent day inline and spill older days to a hash map, so an
// in-order stream touches the map once per scope per day, and an
// out-of-order one stays exact.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/flat_map.hpp"
#include "engine/money.hpp"
#include "policies/policy.hpp"

namespace matchfund {

class ScopedCounter {
 public:
  explicit ScopedCounter(Period period) : period_(period) {}

  Minor get(std::uint32_t scope, std::int32_t day) const {
    if (period_ == Period::campaign) return scope < totals_.size() ? totals_[scope] : 0;
    if (scope >= slots_.size()) return 0;
    const Slot& s = slots_[scope];
    if (s.day == day) return s.value;
    const Minor* spilled = spill_.find(key(scope, day));
    return spilled ? *spilled : 0;
  }

  void add(std::uint32_t scope, std::int32_t day, Minor delta) {
    if (period_ == Period::campaign) {
      if (scope >= totals_.size()) totals_.resize(grown(scope), 0);
      totals_[scope] += delta;
      return;
    }
    if (scope >= slots_.size()) slots_.resize(grown(scope), Slot{});
    Slot& s = slots_[scope];
    if (s.day != day) {
      // Park the old day's total and bring this day's back (0 if never seen).
      if (s.day != INT32_MIN) spill_.try_emplace(key(scope, s.day), 0) = s.value;
      Minor* spilled = spill_.find(key(scope, day));
      s.day = day;
      s.value = spilled ? *spilled : 0;
    }
    s.value += delta;
  }

  // Starts loading the state of `scope`, so a later get/add does not wait on memory.
  void prefetch(std::uint32_t scope) const {
    if (period_ == Period::campaign) {
      if (scope < totals_.size()) __builtin_prefetch(&totals_[scope]);
    } else if (scope < slots_.size()) {
      __builtin_prefetch(&slots_[scope]);
    }
  }

  void reserve(std::uint32_t scopes) {
    if (period_ == Period::campaign) {
      if (totals_.size() < scopes) totals_.resize(scopes, 0);
    } else if (slots_.size() < scopes) {
      slots_.resize(scopes, Slot{});
    }
  }

 private:
  struct Slot {
    std::int32_t day = INT32_MIN;
    Minor value = 0;
  };
  static std::uint64_t key(std::uint32_t scope, std::int32_t day) {
    return (static_cast<std::uint64_t>(scope) << 32) | static_cast<std::uint32_t>(day);
  }
  static std::size_t grown(std::uint32_t scope) { return static_cast<std::size_t>(scope) * 3 / 2 + 64; }

  Period period_;
  std::vector<Minor> totals_;
  std::vector<Slot> slots_;
  FlatMap<Minor> spill_;  // (scope, day) -> total of a day that is not the inline one
};

}  // namespace matchfund
