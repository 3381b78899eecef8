// What a pool granted in one cap scope (a donor, a project, ...) and period.
// Campaign-period counters are one dense array by scope index. Day-period
// counters are a dense array per local day for a window of days around the
// first one used (a campaign of a few days touches only these arrays: one
// memory access per donation, which can be prefetched), and a hash map for
// days outside the window, so out-of-order times far back stay exact.
//
// A narrow counter (its owner knows every total stays within int32) counts in
// 4-byte slots: half the memory to fault in and to keep in cache (at peak-day
// scale, 4.3M donors per pool and day). The arrays are ZeroedArrays: a day
// that reaches only the donors seen so far touches only their part.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/flat_map.hpp"
#include "engine/money.hpp"
#include "engine/zeroed_array.hpp"
#include "policies/policy.hpp"

namespace matchfund {

class ScopedCounter {
  template <class Count>
  using Array = ZeroedArray<Count>;

  // Calls f with the arrays in use (defined before the members that use it: its return type is deduced).
  template <class F>
  decltype(auto) with_days(F&& f) {
    return narrow_ ? f(narrow_days_) : f(wide_days_);
  }
  template <class F>
  decltype(auto) with_days(F&& f) const {
    return narrow_ ? f(narrow_days_) : f(wide_days_);
  }

 public:
  // A campaign-period counter is one array, found for any day (step 0).
  // `narrow`: every total stays within int32 (the caller's promise).
  ScopedCounter(Period period, bool narrow)
      : narrow_(narrow), anchored_(period == Period::campaign), day_step_(period == Period::campaign ? 0 : 1) {
    if (anchored_) with_days([](auto& days) { days.resize(1); });
  }

  // A day's dense array: exactly one of wide and narrow is set when size > 0.
  struct Dense {
    Minor* wide = nullptr;
    std::int32_t* narrow = nullptr;
    std::uint32_t size = 0;
  };

  Minor get(std::uint32_t scope, std::int32_t day) const {
    const std::uint64_t index = day_index(day);
    return with_days([&](const auto& days) -> Minor {
      if (index < days.size()) return scope < days[index].size() ? days[index][scope] : 0;
      const Minor* spilled = spill_.find(key(scope, day));
      return spilled ? *spilled : 0;
    });
  }

  void add(std::uint32_t scope, std::int32_t day, Minor delta) {
    anchor(day);
    const std::uint64_t index = day_index(day);
    with_days([&](auto& days) {
      if (index >= days.size()) {
        spill_.try_emplace(key(scope, day), 0) += delta;
        return;
      }
      auto& v = days[index];
      if (scope >= v.size()) v.grow(std::max<std::size_t>(expected_scopes_, scope * std::size_t{3} / 2 + 64));
      using Count = typename std::decay_t<decltype(v)>::value_type;
      v[scope] = static_cast<Count>(v[scope] + delta);
    });
  }

  // The dense array of `day`, created and sized for the expected scopes, for a
  // caller that reads and writes it directly; empty when the day is outside
  // the window. Valid until an add grows it.
  Dense dense_for(std::int32_t day) {
    anchor(day);
    const std::uint64_t index = day_index(day);
    Dense dense;
    with_days([&](auto& days) {
      if (index >= days.size()) return;
      auto& v = days[index];
      v.grow(expected_scopes_);
      if constexpr (std::is_same_v<typename std::decay_t<decltype(v)>::value_type, Minor>)
        dense.wide = v.data();
      else
        dense.narrow = v.data();
      dense.size = static_cast<std::uint32_t>(v.size());
    });
    return dense;
  }

  // The number of scopes expected: arrays are sized for it when first used.
  void reserve(std::uint32_t scopes) {
    expected_scopes_ = scopes;
    if (day_step_ == 0)
      with_days([&](auto& days) {
        days[0].grow(scopes);
      });
  }

 private:
  static constexpr std::int32_t kWindowDays = 32;

  // A day counter's window starts at the first day it sees. One day before
  // the first is in the window too: streams arrive roughly in time order.
  void anchor(std::int32_t day) {
    if (anchored_) return;
    first_day_ = day - 1;
    anchored_ = true;
    with_days([](auto& days) { days.resize(kWindowDays); });
  }

  // Where `day` is in the window; at or past the window's size when outside it.
  // No branch on the period: an unanchored counter has no arrays, and a day
  // before the window wraps to a large unsigned index.
  std::uint64_t day_index(std::int32_t day) const {
    return static_cast<std::uint64_t>((static_cast<std::int64_t>(day) - first_day_) * day_step_);
  }
  static std::uint64_t key(std::uint32_t scope, std::int32_t day) {
    return (static_cast<std::uint64_t>(scope) << 32) | static_cast<std::uint32_t>(day);
  }

  std::uint32_t expected_scopes_ = 0;
  bool narrow_;
  bool anchored_;
  std::int32_t first_day_ = 0;
  std::int64_t day_step_;  // 0: campaign period, 1: day period
  // [(day - first_day_) * day_step_][scope]: narrow_days_ when narrow_, else wide_days_.
  std::vector<Array<Minor>> wide_days_;
  std::vector<Array<std::int32_t>> narrow_days_;
  FlatMap<Minor> spill_;  // day period, days outside the window: (scope, day) -> total
};

}  // namespace matchfund
