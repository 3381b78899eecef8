#include "engine/sweep/scenario_metrics.hpp"

#include <cmath>
#include <limits>

#include "engine/sweep/inequality.hpp"

namespace matchfund::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double units_per(int minor_units) { return std::pow(10.0, minor_units); }

}  // namespace

StreamFacts stream_facts(const DonationStream& stream, const Catalog& catalog, int minor_units) {
  StreamFacts f;
  const double scale = units_per(minor_units);
  f.donated_by_project = Eigen::ArrayXd::Zero(catalog.projects.size());
  f.has_donations.assign(catalog.projects.size(), 0);
  f.donations = stream.size();
  f.donated = static_cast<double>(stream.donated) / scale;
  if (stream.size() > 0) f.first = f.last = stream.time[0];
  for (std::size_t i = 0; i < stream.size(); ++i) {
    f.donated_by_project[stream.project[i]] += static_cast<double>(stream.amount[i]) / scale;
    f.has_donations[stream.project[i]] = 1;
    f.first = std::min(f.first, stream.time[i]);
    f.last = std::max(f.last, stream.time[i]);
  }
  return f;
}

MetricsSink::MetricsSink(const Plan& plan, const Catalog& catalog, const DonationStream& stream,
                         const StreamFacts& facts)
    : plan_(plan),
      catalog_(catalog),
      stream_(stream),
      facts_(facts),
      scale_(units_per(plan.campaign().minor_units)),
      span_(facts.last - facts.first + 1),
      pool_matched_(plan.pools().size(), 0),
      project_matched_(catalog.projects.size(), 0),
      channel_matched_(catalog.channels.size(), 0),
      bins_(plan.pools().size() * kBins, 0),
      donor_cap_(plan.pools().size() * 256, 0),
      capped_((catalog.donors.size() + 63) / 64, 0) {
  for (int b = 0; b <= kBins; ++b)
    bin_start_.push_back(static_cast<std::int64_t>((static_cast<__int128>(span_) * b + kBins - 1) / kBins));
  for (std::size_t p = 0; p < plan.pools().size(); ++p)
    for (const CompiledCap& cap : plan.pools()[p].caps)
      donor_cap_[p * 256 + cap.limit_id] = cap.scope == Scope::donor || cap.scope == Scope::donor_project;
}

ScenarioOutcome MetricsSink::finish(const Allocator& allocator) const {
  ScenarioOutcome out;
  auto put = [&](std::string name, double value) { out.metrics.emplace_back(std::move(name), value); };
  const auto& pools = plan_.pools();
  double matched = 0;
  for (Minor m : pool_matched_) matched += static_cast<double>(m) / scale_;

  // Projects with donations are the population; orgs are those of such projects.
  std::vector<std::uint32_t> in_play;
  for (std::uint32_t p = 0; p < facts_.has_donations.size(); ++p)
    if (facts_.has_donations[p]) in_play.push_back(p);
  Eigen::ArrayXd project_matched(static_cast<Eigen::Index>(in_play.size()));
  std::vector<double> ratios;
  Eigen::ArrayXd org_matched = Eigen::ArrayXd::Zero(catalog_.orgs.size());
  std::vector<std::uint8_t> org_in_play(catalog_.orgs.size(), 0);
  for (std::size_t k = 0; k < in_play.size(); ++k) {
    const std::uint32_t p = in_play[k];
    const double m = static_cast<double>(project_matched_[p]) / scale_;
    const double d = facts_.donated_by_project[p];
    project_matched[static_cast<Eigen::Index>(k)] = m;
    ratios.push_back(m / d);
    out.projects.push_back({p, d, m});
    const std::uint32_t org = catalog_.project_org[p];
    if (org != Catalog::kNoOrg) {
      org_matched[org] += m;
      org_in_play[org] = 1;
    }
  }
  std::vector<double> orgs;
  for (std::size_t o = 0; o < org_in_play.size(); ++o)
    if (org_in_play[o]) orgs.push_back(org_matched[static_cast<Eigen::Index>(o)]);
  const Eigen::ArrayXd org_values = Eigen::Map<const Eigen::ArrayXd>(orgs.data(), static_cast<Eigen::Index>(orgs.size()));

  put("matched", matched);
  put("donated", facts_.donated);
  put("public_per_match", matched > 0 ? facts_.donated / matched : kNaN);
  put("donations", static_cast<double>(facts_.donations));
  put("matched_donations", static_cast<double>(matched_donations_));
  put("matched_donation_share",
      facts_.donations ? static_cast<double>(matched_donations_) / static_cast<double>(facts_.donations) : kNaN);
  put("donors_capped", static_cast<double>(donors_capped_));
  put("gini_projects", gini(project_matched));
  put("gini_orgs", gini(org_values));
  put("top1pct_project_share", top_share(project_matched, 0.01));
  put("ratio_p10", quantile(ratios, 0.10));
  put("ratio_median", quantile(ratios, 0.50));
  put("ratio_p90", quantile(ratios, 0.90));

  // Pools in rules order, as the summary lists them.
  std::vector<std::size_t> by_rules(pools.size());
  for (std::size_t p = 0; p < pools.size(); ++p) by_rules[pools[p].rules_index] = p;
  for (std::size_t r = 0; r < pools.size(); ++r) {
    const std::size_t p = by_rules[r];
    const std::string& id = pools[p].rules->id;
    const PoolState& state = allocator.pool_states()[p];
    const Micros ran_out = state.exhausted ? stream_.time[state.exhausted_by] : 0;
    put("pool:" + id + ":matched", static_cast<double>(pool_matched_[p]) / scale_);
    put("pool:" + id + ":budget_used", static_cast<double>(pool_matched_[p]) / static_cast<double>(pools[p].budget));
    put("pool:" + id + ":ran_out_hours",
        state.exhausted ? static_cast<double>(ran_out - facts_.first) / (3600.0 * kMicrosPerSecond) : kNaN);
    out.ran_out.emplace_back(id, ran_out);
    std::vector<double> cumulative(kBins);
    double sum = 0;
    for (int b = 0; b < kBins; ++b) {
      sum += static_cast<double>(bins_[p * kBins + static_cast<std::size_t>(b)]) / scale_;
      cumulative[static_cast<std::size_t>(b)] = sum;
    }
    out.cumulative.push_back(std::move(cumulative));
  }
  for (int b = 0; b < kBins; ++b)
    out.bin_end.push_back(facts_.first +
                          static_cast<Micros>(static_cast<__int128>(facts_.last - facts_.first + 1) * (b + 1) / kBins));

  std::vector<double> by_category(catalog_.categories.size(), 0);
  for (const auto& p : out.projects) by_category[catalog_.project_category[p.index]] += p.matched;
  for (std::uint32_t c = 0; c < by_category.size(); ++c) {
    const std::string name = c == Catalog::kNoCategory ? "(none)" : std::string(catalog_.categories.name(c));
    if (c == Catalog::kNoCategory && by_category[c] == 0) continue;
    out.by_category.emplace_back(name, by_category[c]);
    put("category:" + name + ":share", matched > 0 ? by_category[c] / matched : kNaN);
  }
  for (std::uint32_t ch = 0; ch < channel_matched_.size(); ++ch)
    put("channel:" + std::string(catalog_.channels.name(ch)) + ":share",
        matched > 0 ? static_cast<double>(channel_matched_[ch]) / scale_ / matched : kNaN);
  out.lorenz_projects = lorenz_curve(project_matched);
  out.lorenz_orgs = lorenz_curve(org_values);
  return out;
}

}  // namespace matchfund::sweep
