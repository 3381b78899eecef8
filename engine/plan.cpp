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
  refresh(catalog);
}

void Plan::top_up(std::uint32_t pool_index, Minor amount) {
  pools_[pool_index].budget += amount;
  pools_[pool_index].topped_up += amount;
}

void Plan::freeze_project(std::uint32_t project) {
  for (CompiledPool& pool : pools_) pool.project_ok[project] = 0;
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
}

}  // namespace matchfund
