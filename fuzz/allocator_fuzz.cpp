// Structure-aware fuzzing of the whole allocator (SPEC 4, 5). The fuzz bytes
// choose a valid-looking campaign (pools, rates, eligibility, caps, windows,
// daily hours, releases) and a donation stream; the run's ledger rows are
// then checked against what the generated rules allow:
//   - no pool grants more than its budget, or more than is released at t;
//   - no cap is exceeded in any scope and period, nor max_total_ratio;
//   - every grant is in [0, base]; the ledger sums equal the pool states and
//     the summary JSON.
// The limits are checked from the generated values, not from the parsed
// campaign, so that a parser bug cannot hide an allocator bug.
#include <fuzzer/FuzzedDataProvider.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/plan.hpp"
#include "engine/rules.hpp"
#include "engine/simulation.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace matchfund;
using Json = nlohmann::ordered_json;

constexpr Micros kStart = 1'504'742'400 * kMicrosPerSecond;  // 2017-09-07T00:00:00Z
constexpr Micros kHour = 3600 * kMicrosPerSecond;
const char* const kProjects[] = {"a", "b", "c", "d"};  // d is not in the projects file
const char* const kChannels[] = {"", "cash", "coins"};

struct Amount {
  std::optional<Minor> value;
  std::string per = "campaign";
};

struct GenPool {
  std::string id;
  Minor budget = 0;
  Amount per_donation, per_donor, per_donor_project, per_project, per_org;
  std::optional<std::int64_t> per_donor_count;
  std::string per_donor_count_per = "campaign";
  std::map<std::string, Minor> overrides;
  std::vector<std::pair<Micros, Minor>> releases;
};

struct Generated {
  int minor_units = 2;
  Micros offset = 0;
  std::optional<std::int64_t> max_total_micros;
  std::vector<GenPool> pools;
  std::string rules, projects, donations;
};

std::string amount_text(Minor v, int mu) { return format_amount(v, mu); }

std::string ratio_text(std::int64_t micros) {
  std::string s = std::to_string(micros / kRatioScale) + "." + std::to_string(kRatioScale + micros % kRatioScale).substr(1);
  return s;
}

std::string time_text(Micros t) { return format_instant(t, TimeStyle{}); }

std::string hhmm(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

Minor small_amount(FuzzedDataProvider& in, Minor max) { return in.ConsumeIntegralInRange<Minor>(0, max); }

Generated generate(FuzzedDataProvider& in) {
  Generated g;
  g.minor_units = in.ConsumeIntegralInRange(0, 3);
  const int mu = g.minor_units;
  const int offset_hours = in.ConsumeIntegralInRange(-12, 14);
  g.offset = offset_hours * kHour;
  Json rules;
  rules["minor_units"] = mu;
  char offset[8];
  std::snprintf(offset, sizeof offset, "%c%02d:00", offset_hours < 0 ? '-' : '+', std::abs(offset_hours));
  rules["utc_offset"] = offset;
  rules["seed"] = in.ConsumeIntegral<std::uint32_t>();
  if (in.ConsumeBool()) {
    g.max_total_micros = in.ConsumeIntegralInRange<std::int64_t>(0, 3'000'000);
    rules["max_total_ratio"] = ratio_text(*g.max_total_micros);
  }
  const int n_pools = in.ConsumeIntegralInRange(1, 4);
  Json pools = Json::array();
  for (int p = 0; p < n_pools; ++p) {
    GenPool gp;
    gp.id = "pool" + std::to_string(p);
    gp.budget = in.ConsumeIntegralInRange<Minor>(1, in.ConsumeBool() ? 5'000 : 2'000'000'000);
    Json pool;
    pool["id"] = gp.id;
    pool["budget"] = amount_text(gp.budget, mu);
    if (in.ConsumeBool()) pool["priority"] = in.ConsumeIntegralInRange(-2, 2);
    if (in.ConsumeBool()) pool["stack"] = in.ConsumeBool();
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0:
        pool["match"]["ratio"] = ratio_text(in.ConsumeIntegralInRange<std::int64_t>(0, 3'000'000));
        break;
      case 1: {
        Json tiers = Json::array();
        Minor up_to = 0;
        const int n = in.ConsumeIntegralInRange(1, 3);
        for (int i = 0; i < n; ++i) {
          Json band;
          if (i + 1 < n || in.ConsumeBool()) {
            up_to += in.ConsumeIntegralInRange<Minor>(1, 100'000);
            band["up_to"] = amount_text(up_to, mu);
          }
          band["ratio"] = ratio_text(in.ConsumeIntegralInRange<std::int64_t>(0, 2'000'000));
          tiers.push_back(band);
        }
        pool["match"]["tiers"] = tiers;
        break;
      }
      case 2: {
        const std::int64_t lo = in.ConsumeIntegralInRange<std::int64_t>(0, 2'000'000);
        const std::int64_t step = in.ConsumeIntegralInRange<std::int64_t>(1, 500'000);
        const std::int64_t n = in.ConsumeIntegralInRange<std::int64_t>(0, 4);
        pool["match"]["random"] = {{"min", ratio_text(lo)}, {"max", ratio_text(lo + n * step)}, {"step", ratio_text(step)}};
        break;
      }
      default:
        pool["match"]["fixed"] = amount_text(small_amount(in, 50'000), mu);
    }
    if (in.ConsumeBool()) {
      Json eligible;
      if (in.ConsumeBool()) eligible["min_donation"] = amount_text(small_amount(in, 2'000), mu);
      if (in.ConsumeBool()) eligible["exclude_projects"] = Json::array({kProjects[in.ConsumeIntegralInRange(0, 3)]});
      if (in.ConsumeBool()) eligible["channels"] = Json::array({"cash", "coins"});
      if (in.ConsumeBool()) eligible["orgs"] = Json::array({"o1", ""});
      if (!eligible.empty()) pool["eligible"] = eligible;
    }
    if (in.ConsumeBool()) {
      const Micros start = kStart + in.ConsumeIntegralInRange<Micros>(-24, 48) * kHour;
      pool["windows"] = Json::array(
          {{{"start", time_text(start)}, {"end", time_text(start + in.ConsumeIntegralInRange<Micros>(1, 72) * kHour)}}});
    }
    if (in.ConsumeBool()) {
      const int from = in.ConsumeIntegralInRange(0, 23 * 60);
      const int to = in.ConsumeIntegralInRange(from + 1, 24 * 60);
      pool["daily_hours"] = Json::array({{{"from", hhmm(from)}, {"to", hhmm(to)}}});
    }
    if (in.ConsumeBool()) {
      const Minor first = in.ConsumeIntegralInRange<Minor>(0, gp.budget);
      const Micros at = kStart + in.ConsumeIntegralInRange<Micros>(0, 48) * kHour;
      gp.releases = {{kStart - 24 * kHour, first}, {at, gp.budget - first}};
      Json releases = Json::array();
      for (auto [t, a] : gp.releases) releases.push_back({{"at", time_text(t)}, {"amount", amount_text(a, mu)}});
      pool["releases"] = releases;
    }
    Json caps = Json::object();
    auto per = [&] { return in.ConsumeBool() ? std::string("day") : std::string("campaign"); };
    auto amount_cap = [&](const char* name, Amount& cap, Minor max) {
      if (!in.ConsumeBool()) return;
      cap.value = small_amount(in, max);
      cap.per = per();
      caps[name] = {{"amount", amount_text(*cap.value, mu)}, {"per", cap.per}};
    };
    if (in.ConsumeBool()) {
      gp.per_donation.value = small_amount(in, 20'000);
      caps["per_donation"] = amount_text(*gp.per_donation.value, mu);
    }
    if (in.ConsumeBool()) {
      gp.per_donor_count = in.ConsumeIntegralInRange(0, 3);
      gp.per_donor_count_per = per();
      caps["per_donor_count"] = {{"count", *gp.per_donor_count}, {"per", gp.per_donor_count_per}};
    }
    amount_cap("per_donor", gp.per_donor, 50'000);
    amount_cap("per_donor_project", gp.per_donor_project, 30'000);
    amount_cap("per_org", gp.per_org, 80'000);
    if (in.ConsumeBool()) {
      Json cap;
      if (in.ConsumeBool()) {
        gp.per_project.value = small_amount(in, 100'000);
        cap["amount"] = amount_text(*gp.per_project.value, mu);
      }
      gp.per_project.per = per();
      cap["per"] = gp.per_project.per;
      if (in.ConsumeBool() || !gp.per_project.value) {
        const char* project = kProjects[in.ConsumeIntegralInRange(0, 3)];
        gp.overrides[project] = small_amount(in, 40'000);
        cap["overrides"][project] = amount_text(gp.overrides[project], mu);
      }
      caps["per_project"] = cap;
    }
    if (!caps.empty()) pool["caps"] = caps;
    pools.push_back(pool);
    g.pools.push_back(gp);
  }
  rules["pools"] = pools;
  g.rules = rules.dump();

  g.projects = "project,category,org\na,c1,o1\nb,c2,o2\nc,,o1\n";
  g.donations = "id,time,donor,project,amount,channel\n";
  const int n = in.ConsumeIntegralInRange(0, 400);
  for (int i = 0; i < n && in.remaining_bytes() > 0; ++i) {
    const Micros t = kStart + in.ConsumeIntegralInRange<Micros>(-30, 80) * kHour +
                     in.ConsumeIntegralInRange<Micros>(0, 3599) * kMicrosPerSecond;
    const Minor amount = in.ConsumeIntegralInRange<Minor>(1, in.ConsumeBool() ? 2'000 : 200'000);
    g.donations += "d" + std::to_string(in.ConsumeIntegralInRange(0, n + 5)) + "," + time_text(t) + ",u" +
                   std::to_string(in.ConsumeIntegralInRange(0, 6)) + "," + kProjects[in.ConsumeIntegralInRange(0, 3)] +
                   "," + amount_text(amount, g.minor_units) + "," + kChannels[in.ConsumeIntegralInRange(0, 2)] + "\n";
  }
  return g;
}

Minor unlocked(const GenPool& p, Micros t) {
  if (p.releases.empty()) return p.budget;
  Minor sum = 0;
  for (auto [at, amount] : p.releases)
    if (at <= t) sum += amount;
  return sum;
}

void check(const Generated& g) {
  Campaign campaign;
  if (!fuzz::errors_only([&] { campaign = parse_campaign(g.rules, "rules.json"); }))
    fuzz::violated("generated rules were refused: " + g.rules);
  Catalog catalog;
  read_projects(g.projects, "projects.csv", catalog);
  DonationStream stream = read_donations(g.donations, "donations.csv", campaign.minor_units, catalog);
  Plan plan(campaign, catalog);
  Allocator allocator(plan, catalog);
  VectorSink sink;
  if (!fuzz::errors_only([&] { run_allocation(allocator, stream, sink); })) return;  // a base past int64

  const auto& pools = plan.pools();
  std::vector<Minor> granted(pools.size(), 0);
  std::vector<std::uint64_t> grants(pools.size(), 0);
  std::map<std::tuple<std::uint32_t, int, std::uint64_t, std::int64_t>, Minor> used;  // pool, cap, key, period
  std::map<std::uint64_t, Minor> per_donation_total;
  for (const LedgerRow& row : sink.rows) {
    if (row.seq >= stream.size() || row.pool >= pools.size()) fuzz::violated("a ledger row out of range");
    const GenPool& gp = g.pools[pools[row.pool].rules_index];
    const std::string where = "donation line " + std::to_string(stream.line[row.seq]) + ", " + gp.id + ": ";
    if (row.grant < 0 || row.grant > row.base) fuzz::violated(where + "grant outside [0, base]");
    const Micros t = stream.time[row.seq];
    granted[row.pool] += row.grant;
    if (granted[row.pool] > gp.budget) fuzz::violated(where + "pool total past the budget");
    if (row.grant > 0) {
      ++grants[row.pool];
      if (granted[row.pool] > unlocked(gp, t)) fuzz::violated(where + "pool total past what is released");
    }
    per_donation_total[row.seq] += row.grant;
    if (g.max_total_micros &&
        static_cast<Wide>(per_donation_total[row.seq]) > multiply_floor(stream.amount[row.seq], Ratio{*g.max_total_micros}))
      fuzz::violated(where + "max_total_ratio exceeded");

    const std::int64_t day = local_day(t, g.offset);
    const std::uint32_t donor = stream.donor[row.seq], project = stream.project[row.seq];
    auto bound = [&](int cap, const std::string& per, std::uint64_t key, Minor add, Minor limit) {
      Minor& total = used[{row.pool, cap, key, per == "day" ? day : INT64_MIN}];
      total += add;
      if (total > limit) fuzz::violated(where + "cap " + std::to_string(cap) + " exceeded");
    };
    if (gp.per_donation.value && row.grant > *gp.per_donation.value) fuzz::violated(where + "per_donation exceeded");
    if (gp.per_donor_count && row.grant > 0) bound(1, gp.per_donor_count_per, donor, 1, *gp.per_donor_count);
    if (gp.per_donor.value) bound(2, gp.per_donor.per, donor, row.grant, *gp.per_donor.value);
    if (gp.per_donor_project.value)
      bound(3, gp.per_donor_project.per, (std::uint64_t{donor} << 32) | project, row.grant, *gp.per_donor_project.value);
    const std::string project_name(catalog.projects.name(project));
    std::optional<Minor> project_limit = gp.per_project.value;
    if (auto it = gp.overrides.find(project_name); it != gp.overrides.end()) project_limit = it->second;
    if (project_limit) bound(4, gp.per_project.per, project, row.grant, *project_limit);
    const std::uint32_t org = catalog.project_org[project];
    if (gp.per_org.value && org != Catalog::kNoOrg) bound(5, gp.per_org.per, org, row.grant, *gp.per_org.value);
  }

  const auto& states = allocator.pool_states();
  Minor matched = 0;
  for (std::size_t p = 0; p < pools.size(); ++p) {
    if (states[p].granted != granted[p]) fuzz::violated("the ledger of " + pools[p].rules->id + " does not sum to its state");
    if (states[p].grants != grants[p]) fuzz::violated("the grant count of " + pools[p].rules->id + " differs from the ledger");
    matched += granted[p];
  }
  const Json summary = Json::parse(summary_json(plan, stream, allocator));
  if (summary.at("matched") != format_amount(matched, g.minor_units)) fuzz::violated("summary matched differs from the ledger");
  if (summary.at("donated") != format_amount(stream.donated, g.minor_units)) fuzz::violated("summary donated differs");
  for (std::size_t p = 0; p < pools.size(); ++p)
    if (summary.at("pools").at(pools[p].rules_index).at("granted") != format_amount(granted[p], g.minor_units))
      fuzz::violated("summary granted of " + pools[p].rules->id + " differs from the ledger");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  check(generate(in));
  return 0;
}
