#include "engine/settlement/settlement_report.hpp"

#include <quadmath.h>

#include <nlohmann/json.hpp>

#include "engine/csv_writer.hpp"

namespace matchfund {

std::string format_g12(const Quad& value) {
  char buf[128];
  int n = quadmath_snprintf(buf, sizeof buf, "%.12Qg", value.backend().value());
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

std::string settlement_csv(const SettlementRules& rules, const std::vector<PoolResult>& results,
                           const Contributions& contributions) {
  const int mu = rules.campaign.minor_units;
  std::string out = "pool,project,donors,contributed,raw,share,match\n";
  for (std::size_t k = 0; k < rules.pools.size(); ++k) {
    for (const ProjectResult& r : results[k].projects) {
      out += rules.pools[k].id;
      out += ',';
      append_csv_field(out, contributions.projects.name(r.project));
      out += ',';
      out += std::to_string(r.donors);
      out += ',';
      out += format_g12(r.contributed);
      out += ',';
      out += format_g12(r.raw);
      out += ',';
      out += format_g12(r.share);
      out += ',';
      append_amount(out, r.match, mu);
      out += '\n';
    }
  }
  return out;
}

std::string settlement_summary_json(const SettlementRules& rules, const std::vector<PoolResult>& results,
                                    const Contributions& contributions) {
  const int mu = rules.campaign.minor_units;
  nlohmann::ordered_json pools = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < rules.pools.size(); ++k) {
    nlohmann::ordered_json pool;
    pool["id"] = rules.pools[k].id;
    pool["mechanism"] = std::string(mechanism_name(rules.pools[k].mechanism));
    pool["budget"] = format_amount(rules.pools[k].budget, mu);
    pool["matched"] = format_amount(results[k].matched, mu);
    pool["projects"] = results[k].projects.size();
    pool["donors"] = results[k].donors;
    pools.push_back(std::move(pool));
  }
  nlohmann::ordered_json summary;
  summary["contributions"] = contributions.size();
  summary["pools"] = std::move(pools);
  return summary.dump(2) + "\n";
}

}  // namespace matchfund
