#include "engine/simulation.hpp"

#include <nlohmann/json.hpp>

namespace matchfund {

std::string summary_json(const Plan& plan, const DonationStream& stream, const Allocator& allocator) {
  StreamTotals totals;
  totals.donations = stream.size();
  totals.duplicates = stream.duplicates;
  totals.donated = stream.donated;
  for (const PoolState& state : allocator.pool_states()) {
    totals.exhausted_at.emplace_back();
    if (state.exhausted)
      totals.exhausted_at.back() = ParsedInstant{stream.time[state.exhausted_by], stream.time_style[state.exhausted_by]};
  }
  return summary_json(plan, totals, allocator);
}

std::string summary_json(const Plan& plan, const StreamTotals& totals, const Allocator& allocator) {
  const Campaign& campaign = plan.campaign();
  const int mu = campaign.minor_units;
  // Pools are listed in rules file order; the plan holds them in try order.
  std::vector<std::size_t> plan_index(campaign.pools.size());
  for (std::size_t p = 0; p < plan.pools().size(); ++p) plan_index[plan.pools()[p].rules_index] = p;

  nlohmann::ordered_json pools = nlohmann::ordered_json::array();
  Minor matched = 0;
  for (std::size_t r = 0; r < campaign.pools.size(); ++r) {
    const PoolState& state = allocator.pool_states()[plan_index[r]];
    matched += state.granted;
    nlohmann::ordered_json pool;
    pool["id"] = campaign.pools[r].id;
    pool["budget"] = format_amount(campaign.pools[r].budget, mu);
    pool["granted"] = format_amount(state.granted, mu);
    pool["grants"] = state.grants;
    pool["exhausted_at"] = nullptr;
    if (const std::optional<ParsedInstant>& at = totals.exhausted_at[plan_index[r]])
      pool["exhausted_at"] = format_instant(at->utc, at->style);
    pools.push_back(std::move(pool));
  }
  nlohmann::ordered_json summary;
  summary["donations"] = totals.donations;
  summary["duplicates"] = totals.duplicates;
  summary["donated"] = format_amount(totals.donated, mu);
  summary["matched"] = format_amount(matched, mu);
  summary["pools"] = std::move(pools);
  return summary.dump(2) + "\n";
}

}  // namespace matchfund
