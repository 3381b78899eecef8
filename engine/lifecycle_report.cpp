#include "engine/lifecycle_report.hpp"

#include <nlohmann/json.hpp>

#include "engine/csv_writer.hpp"

namespace matchfund {

void append_event_row(std::string& out, const Effect& e, const EventStream& events, const Plan& plan) {
  const int mu = plan.campaign().minor_units;
  out.append(e.op);
  out += ',';
  append_csv_field(out, events.ids.name(e.id));
  out += ',';
  if (e.kind == Effect::Kind::rejected) {
    out += ",,,rejected:";
    out.append(e.reason);
    out += '\n';
    return;
  }
  out += plan.pools()[e.pool].rules->id;
  out += ',';
  if (e.kind == Effect::Kind::grant) append_amount(out, e.base, mu);
  out += ',';
  append_amount(out, e.amount, mu);
  out += ',';
  if (e.kind == Effect::Kind::grant) out.append(plan.limit_name(e.limit));
  out += '\n';
}

std::string lifecycle_summary_json(const Plan& plan, const EventStream& events, const Lifecycle& lifecycle) {
  const Campaign& campaign = plan.campaign();
  const int mu = campaign.minor_units;
  std::vector<std::size_t> plan_index(campaign.pools.size());
  for (std::size_t p = 0; p < plan.pools().size(); ++p) plan_index[plan.pools()[p].rules_index] = p;

  nlohmann::ordered_json pools = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < campaign.pools.size(); ++r) {
    const Lifecycle::PoolTotals& t = lifecycle.totals()[plan_index[r]];
    nlohmann::ordered_json pool;
    pool["id"] = campaign.pools[r].id;
    pool["budget"] = format_amount(campaign.pools[r].budget, mu);
    pool["confirmed"] = format_amount(t.confirmed, mu);
    pool["held"] = format_amount(t.held, mu);
    pool["released"] = format_amount(t.released, mu);
    pools.push_back(std::move(pool));
  }
  nlohmann::ordered_json summary;
  summary["events"] = events.size();
  summary["rejected"] = lifecycle.rejected();
  summary["pools"] = std::move(pools);
  return summary.dump(2) + "\n";
}

}  // namespace matchfund
