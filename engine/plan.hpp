// The rules compiled for the hot path (DESIGN "Compile the rules"): pools in
// try order, project and channel conditions folded into per-name bytes, caps
// resolved to plain limits, every name of a limit given a small id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/rules.hpp"

namespace matchfund {

// A headroom that does not apply.
inline constexpr Minor kUnbounded = kMinorMax;
// A cap limit that does not apply (limits are >= 0, and INT64_MAX is a real one).
inline constexpr Minor kNoLimit = -1;

using LimitId = std::uint8_t;
inline constexpr LimitId kLimitNone = 0;

struct CompiledCap {
  Scope scope = Scope::donation;
  Period period = Period::campaign;
  bool counts_grants = false;
  Minor limit = kNoLimit;
  std::vector<Minor> limit_by_project;  // used when the cap has overrides; kNoLimit where none
  bool per_project_limits = false;
  LimitId limit_id = kLimitNone;
  const CapSpec* spec = nullptr;
};

struct CompiledPool {
  std::uint32_t rules_index = 0;  // position in the rules file
  const PoolRules* rules = nullptr;
  bool stack = true;
  Minor budget = 0;                                 // with top-ups
  Minor topped_up = 0;                              // added by Plan::top_up, unlocked at once
  const std::vector<Release>* releases = nullptr;  // null: the whole budget is unlocked
  const Rate* rate = nullptr;
  std::vector<const Condition*> donation_conditions;  // those that vary per donation
  std::vector<std::uint8_t> project_ok;               // by project index
  std::vector<std::uint8_t> channel_ok;               // by channel index
  std::vector<CompiledCap> caps;                      // in limit order

  Minor unlocked(Micros t) const { return releases ? unlocked_at(*releases, t) + topped_up : budget; }
};

class Plan {
 public:
  // `campaign` must outlive the plan.
  Plan(const Campaign& campaign, const Catalog& catalog);

  // Extends the per-project and per-channel tables to names the catalog
  // gained since the last call (the live path interns names as they come).
  void refresh(const Catalog& catalog);

  // The live path's changes: a sponsor adds money to a pool (the caller checks
  // that the budget still fits int64), and a project stops being eligible
  // anywhere (call after refresh has seen it).
  void top_up(std::uint32_t pool_index, Minor amount);
  void freeze_project(std::uint32_t project);

  const Campaign& campaign() const { return *campaign_; }
  const std::vector<CompiledPool>& pools() const { return pools_; }  // in try order
  std::string_view limit_name(LimitId id) const { return limit_names_[id]; }
  LimitId max_total_ratio_limit() const { return max_total_ratio_limit_; }
  LimitId pool_limit() const { return pool_limit_; }
  bool needs_days() const { return needs_days_; }
  // The pools (a bit per pool in try order, words of 64) that accept a
  // project or a channel: project_ok and channel_ok by name instead of by pool.
  std::size_t mask_words() const { return mask_words_; }
  const std::uint64_t* project_pools(std::uint32_t project) const { return project_pools_.data() + project * mask_words_; }
  const std::uint64_t* channel_pools(std::uint32_t channel) const { return channel_pools_.data() + channel * mask_words_; }
  bool needs_pairs() const { return needs_pairs_; }

 private:
  // Appends the masks of names [masks.size() / mask_words_, names).
  template <class Accepts>
  void fill_masks(std::vector<std::uint64_t>& masks, std::uint32_t names, Accepts accepts) const;

  const Campaign* campaign_;
  std::vector<CompiledPool> pools_;
  std::vector<std::string> limit_names_;
  LimitId max_total_ratio_limit_ = 0;
  LimitId pool_limit_ = 0;
  std::size_t mask_words_ = 0;
  std::vector<std::uint64_t> project_pools_;  // [project * mask_words_ + word]
  std::vector<std::uint64_t> channel_pools_;  // [channel * mask_words_ + word]
  bool needs_days_ = false;
  bool needs_pairs_ = false;
};

}  // namespace matchfund
