// What a pool granted in one cap scope (a donor, a project, ...) and period.
// Campaign-period counters are one dense array by scope index. Day-period
// counters are a dense array per local day for a window of days around the
// first one used (a campaign of a few days touches only these arrays: one
// memory access per donation, which can be prefetched), and a hash map for
// days outside the window, so out-of-order times far back stay exact.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/flat_map.hpp"
#include "engine/huge_pages.hpp"
#include "engine/page_cache.hpp"
#include "engine/money.hpp"
#include "policies/policy.hpp"

namespace matchfund {

class ScopedCounter {
  using Array = std::vector<Minor, RecyclingAllocator<Minor>>;

 public:
  // A campaign-period counter is one array, found for any day (step 0).
  explicit ScopedCounter(Period period)
      : anchored_(period == Period::campaign), day_step_(period == Period::campaign ? 0 : 1), days_(anchored_ ? 1 : 0) {}

  Minor get(std::uint32_t scope, std::int32_t day) const {
    const Array* v = array_for(day);
    if (v) return scope < v->size() ? (*v)[scope] : 0;
    const Minor* spilled = spill_.find(key(scope, day));
    return spilled ? *spilled : 0;
  }

  // The dense slot of (scope, day) when there is one, else null (then use get
  // and add): the hot path reads and writes a slot without a second lookup.
  Minor* slot(std::uint32_t scope, std::int32_t day) {
    Array* v = array_for(day);
    return v && scope < v->size() ? v->data() + scope : nullptr;
  }

  void add(std::uint32_t scope, std::int32_t day, Minor delta) {
    anchor(day);
    Array* v = array_for(day);
    if (!v) {
      spill_.try_emplace(key(scope, day), 0) += delta;
      return;
    }
    if (scope >= v->size()) grow(*v, std::max<std::size_t>(expected_scopes_, scope * std::size_t{3} / 2 + 64));
    (*v)[scope] += delta;
  }

  // The dense array of `day`, created and sized for the expected scopes, for a
  // caller that reads and writes it directly; empty when the day is outside
  // the window. Valid until an add grows it.
  std::span<Minor> dense_for(std::int32_t day) {
    anchor(day);
    Array* v = array_for(day);
    if (!v) return {};
    if (v->size() < expected_scopes_) grow(*v, expected_scopes_);
    return {v->data(), v->size()};
  }

  // Starts loading the state of (scope, day), so a later get/add does not wait on memory.
  // Always inlined: out of line, GCC finds the function free of side effects
  // and deletes every call to it, prefetch and all.
  [[gnu::always_inline]] void prefetch(std::uint32_t scope, std::int32_t day) const {
    const Array* v = array_for(day);
    if (v && scope < v->size()) __builtin_prefetch(v->data() + scope);
  }

  // The number of scopes expected: arrays are sized for it when first used.
  void reserve(std::uint32_t scopes) {
    expected_scopes_ = scopes;
    if (day_step_ == 0 && days_[0].size() < scopes) grow(days_[0], scopes);
  }

 private:
  static constexpr std::int32_t kWindowDays = 32;

  // A day counter's window starts at the first day it sees. One day before
  // the first is in the window too: streams arrive roughly in time order.
  void anchor(std::int32_t day) {
    if (anchored_) return;
    first_day_ = day - 1;
    anchored_ = true;
    days_.resize(kWindowDays);
  }

  // The dense array holding `day`, or null when the day is outside the window.
  // No branch on the period: an unanchored counter has no arrays, and a day
  // before the window wraps to a large unsigned index.
  const Array* array_for(std::int32_t day) const {
    const auto index = static_cast<std::uint64_t>((static_cast<std::int64_t>(day) - first_day_) * day_step_);
    return index < days_.size() ? &days_[index] : nullptr;
  }
  Array* array_for(std::int32_t day) {
    return const_cast<Array*>(std::as_const(*this).array_for(day));
  }
  // Zero-extends v to `size` scopes, on huge pages when it is big.
  static void grow(Array& v, std::size_t size) {
    if (v.capacity() < size) {
      Array fresh;
      fresh.reserve(size);
      advise_huge_pages(fresh.data(), size * sizeof(Minor));
      fresh.assign(v.begin(), v.end());
      v.swap(fresh);
    }
    v.resize(size, 0);
  }
  static std::uint64_t key(std::uint32_t scope, std::int32_t day) {
    return (static_cast<std::uint64_t>(scope) << 32) | static_cast<std::uint32_t>(day);
  }

  std::uint32_t expected_scopes_ = 0;
  bool anchored_;
  std::int32_t first_day_ = 0;
  std::int64_t day_step_;                 // 0: campaign period, 1: day period
  std::vector<Array> days_;  // [(day - first_day_) * day_step_][scope]
  FlatMap<Minor> spill_;                  // day period, days outside the window: (scope, day) -> total
};

}  // namespace matchfund
