#include "engine/plan.hpp"

#include <algorithm>
#include <numeric>

#include "policies/registry.hpp"

namespace matchfund {

Plan::Plan(const Campaign& campaign, const Catalog& catalog) : campaign_(&campaign) {
  limit_names_.emplace_back("none");
  for (const CapEntry& e : cap_policies()) limit_names_.emplace_back(e.name);
  max_total_ratio_limit_ = static_cast<LimitId>(limit_names_.size());
  limit_names_.emplace_back("max_total_ratio");
  pool_limit_ = static_cast<LimitId>(limit_names_.size());
  limit_names_.emplace_back("pool");

  // Try order: ascending priority, ties in file order.
  std::vector<std::uint32_t> order(campaign.pools.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return campaign.pools[a].priority < campaign.pools[b].priority;
  });
  auto caps = cap_policies();
  for (std::uint32_t index : order) {
    const PoolRules& rules = campaign.pools[index];
    CompiledPool pool;
    pool.rules_index = index;
    pool.rules = &rules;
    pool.stack = rules.stack;
    pool.budget = rules.budget;
    pool.releases = rules.releases ? &*rules.releases : nullptr;
    pool.rate = rules.rate.get();
    for (const auto& condition : rules.conditions)
      if (condition->varies_per_donation()) pool.donation_conditions.push_back(condition.get());
    for (const PoolRules::Cap& cap : rules.caps) {
      CompiledCap c;
      c.scope = cap.spec.scope;
      c.period = cap.spec.period;
      c.counts_grants = cap.spec.counts_grants;
      c.limit = cap.spec.limit.value_or(kNoLimit);
      c.per_project_limits = !cap.spec.project_overrides.empty();
      c.spec = &cap.spec;
      auto at = std::find_if(caps.begin(), caps.end(), [&](const CapEntry& e) { return e.name == cap.name; });
      c.limit_id = static_cast<LimitId>(1 + (at - caps.begin()));
      needs_days_ |= c.period == Period::day;
      needs_pairs_ |= c.scope == Scope::donor_project;
      pool.caps.push_back(std::move(c));
    }
    pools_.push_back(std::move(pool));
  }
  mask_words_ = (pools_.size() + 63) / 64;
  refresh(catalog);
}

void Plan::top_up(std::uint32_t pool_index, Minor amount) {
  pools_[pool_index].budget += amount;
  pools_[pool_index].topped_up += amount;
}

void Plan::freeze_project(std::uint32_t project) {
  for (CompiledPool& pool : pools_) pool.project_ok[project] = 0;
  std::fill_n(project_pools_.begin() + project * mask_words_, mask_words_, 0);
}

void Plan::refresh(const Catalog& catalog) {
  const std::uint32_t projects = catalog.projects.size();
  const std::uint32_t channels = catalog.channels.size();
  for (CompiledPool& pool : pools_) {
    for (std::uint32_t p = static_cast<std::uint32_t>(pool.project_ok.size()); p < projects; ++p) {
      bool ok = true;
      for (const auto& condition : pool.rules->conditions) ok = ok && condition->accepts_project(catalog, p);
      pool.project_ok.push_back(ok);
    }
    for (std::uint32_t ch = static_cast<std::uint32_t>(pool.channel_ok.size()); ch < channels; ++ch) {
      bool ok = true;
      for (const auto& condition : pool.rules->conditions)
        ok = ok && condition->accepts_channel(catalog.channels.name(ch));
      pool.channel_ok.push_back(ok);
    }
    for (CompiledCap& cap : pool.caps) {
      if (!cap.per_project_limits) continue;
      std::uint32_t from = static_cast<std::uint32_t>(cap.limit_by_project.size());
      cap.limit_by_project.resize(projects, cap.limit);
      for (const auto& [name, amount] : cap.spec->project_overrides) {
        auto p = catalog.projects.find(name);
        if (p && *p >= from) cap.limit_by_project[*p] = amount;
      }
    }
  }
  // Same order as above: the tables only grow, and a frozen project's bits stay cleared.
  fill_masks(project_pools_, projects, [&](const CompiledPool& pool, std::uint32_t i) { return pool.project_ok[i]; });
  fill_masks(channel_pools_, channels, [&](const CompiledPool& pool, std::uint32_t i) { return pool.channel_ok[i]; });
}

template <class Accepts>
void Plan::fill_masks(std::vector<std::uint64_t>& masks, std::uint32_t names, Accepts accepts) const {
  const std::uint32_t from = static_cast<std::uint32_t>(masks.size() / std::max<std::size_t>(mask_words_, 1));
  masks.resize(std::size_t{names} * mask_words_, 0);
  for (std::uint32_t i = from; i < names; ++i)
    for (std::size_t p = 0; p < pools_.size(); ++p)
      if (accepts(pools_[p], i)) masks[i * mask_words_ + p / 64] |= std::uint64_t{1} << (p % 64);
}

}  // namespace matchfund
