#include "reference/reference_allocator.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "engine/hash.hpp"  // fnv1a64, splitmix64 (SPEC 3)
#include "engine/time.hpp"  // local_day (SPEC 1)

namespace reference {
namespace {

const Money kMillion = 1'000'000;
const Money kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
constexpr std::int64_t kWholeCampaign = std::numeric_limits<std::int64_t>::min();

bool contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// A counter's key: the cap, its scope (one or two names) and its period.
using Key = std::tuple<std::string, std::string, std::string, std::int64_t>;

struct PoolState {
  Money granted;  // everything this pool granted so far
  std::uint64_t grants = 0;
  std::optional<std::string> exhausted_at;
  std::map<Key, Money> used;  // per cap, scope and period: granted amount (or count of grants > 0)
};

bool eligible(const Pool& pool, const Rules& rules, const Donation& d, const Project& project) {
  if (pool.windows) {
    bool inside = false;
    for (const Window& w : *pool.windows) inside = inside || (w.start <= d.time && d.time < w.end);
    if (!inside) return false;
  }
  if (pool.daily_hours) {
    const std::int64_t local = d.time + rules.utc_offset;
    const std::int64_t time_of_day = local - matchfund::local_day(d.time, rules.utc_offset) * kMicrosPerDay;
    bool inside = false;
    for (const DailyRange& r : *pool.daily_hours) inside = inside || (r.from <= time_of_day && time_of_day < r.to);
    if (!inside) return false;
  }
  const Eligibility& e = pool.eligible;
  if (e.projects && !contains(*e.projects, d.project)) return false;
  if (e.exclude_projects && contains(*e.exclude_projects, d.project)) return false;
  if (e.categories && !contains(*e.categories, project.category)) return false;
  if (e.orgs && !contains(*e.orgs, project.org)) return false;
  const std::string channel = d.channel.empty() ? "cash" : d.channel;
  if (e.channels && !contains(*e.channels, channel)) return false;
  if (e.min_donation && d.amount < *e.min_donation) return false;
  return true;
}

Money base_of(const Pool& pool, const Rules& rules, const Donation& d) {
  const Rate& rate = pool.rate;
  switch (rate.kind) {
    case Rate::Kind::ratio:
      return d.amount * rate.ratio / kMillion;
    case Rate::Kind::tiers: {
      Money sum = 0;  // in millionths of a minor unit
      Money lower = 0;
      for (const Band& band : rate.tiers) {
        Money upper = band.up_to ? std::min(*band.up_to, d.amount) : d.amount;
        if (upper > lower) sum += (upper - lower) * band.ratio;
        if (band.up_to) lower = *band.up_to;
      }
      return sum / kMillion;
    }
    case Rate::Kind::random: {
      Money points = 1;
      if (rate.max != rate.min) points = (rate.max - rate.min) / rate.step + 1;
      std::uint64_t hash = matchfund::splitmix64(rules.seed ^ matchfund::fnv1a64(pool.id) ^ matchfund::fnv1a64(d.id));
      Money index = Money(hash) % points;
      return d.amount * (rate.min + index * rate.step) / kMillion;
    }
    case Rate::Kind::fixed:
      return rate.fixed;
  }
  return 0;
}

Money unlocked(const Pool& pool, std::int64_t t) {
  if (!pool.releases) return pool.budget;
  Money sum = 0;
  for (const Release& r : *pool.releases)
    if (r.at <= t) sum += r.amount;
  return sum;
}

std::int64_t period_key(Period per, const Donation& d, const Rules& rules) {
  return per == Period::day ? matchfund::local_day(d.time, rules.utc_offset) : kWholeCampaign;
}

}  // namespace

Result allocate(const Rules& rules, const std::map<std::string, Project>& projects,
                const std::vector<Donation>& donations) {
  // Try order: ascending priority, ties in file order.
  std::vector<std::size_t> order;
  for (std::size_t p = 0; p < rules.pools.size(); ++p) order.push_back(p);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rules.pools[a].priority < rules.pools[b].priority; });

  Result result;
  std::vector<PoolState> states(rules.pools.size());
  std::set<std::string> seen;

  for (std::size_t i = 0; i < donations.size(); ++i) {
    const Donation& d = donations[i];
    if (!seen.insert(d.id).second) {
      ++result.duplicates;
      continue;
    }
    ++result.donations;
    result.donated += d.amount;
    Project project;
    if (auto it = projects.find(d.project); it != projects.end()) project = it->second;

    Money granted_here = 0;
    for (std::size_t p : order) {
      const Pool& pool = rules.pools[p];
      PoolState& state = states[p];
      // 1. Eligible?
      if (!eligible(pool, rules, d, project)) continue;
      if (!pool.stack && granted_here > 0) continue;
      // 2. base
      const Money base = base_of(pool, rules, d);
      if (base > kInt64Max) {
        result.base_overflow_at = i;
        return result;
      }
      // 3. Headrooms, in limit order; only those that apply.
      const Caps& caps = pool.caps;
      std::vector<std::pair<std::string, Money>> headrooms;
      if (caps.per_donation) headrooms.emplace_back("per_donation", *caps.per_donation);
      if (caps.per_donor_count) {
        Key key{"per_donor_count", d.donor, "", period_key(caps.per_donor_count->per, d, rules)};
        if (state.used[key] >= caps.per_donor_count->count) headrooms.emplace_back("per_donor_count", 0);
      }
      if (caps.per_donor) {
        Key key{"per_donor", d.donor, "", period_key(caps.per_donor->per, d, rules)};
        headrooms.emplace_back("per_donor", caps.per_donor->amount - state.used[key]);
      }
      if (caps.per_donor_project) {
        Key key{"per_donor_project", d.donor, d.project, period_key(caps.per_donor_project->per, d, rules)};
        headrooms.emplace_back("per_donor_project", caps.per_donor_project->amount - state.used[key]);
      }
      if (caps.per_project) {
        std::optional<Money> limit = caps.per_project->amount;
        if (auto it = caps.per_project->overrides.find(d.project); it != caps.per_project->overrides.end())
          limit = it->second;
        Key key{"per_project", d.project, "", period_key(caps.per_project->per, d, rules)};
        if (limit) headrooms.emplace_back("per_project", *limit - state.used[key]);
      }
      if (caps.per_org && !project.org.empty()) {
        Key key{"per_org", project.org, "", period_key(caps.per_org->per, d, rules)};
        headrooms.emplace_back("per_org", caps.per_org->amount - state.used[key]);
      }
      if (rules.max_total_ratio)
        headrooms.emplace_back("max_total_ratio", d.amount * *rules.max_total_ratio / kMillion - granted_here);
      headrooms.emplace_back("pool", unlocked(pool, d.time) - state.granted);

      Money grant = base;
      for (auto& [name, headroom] : headrooms) {
        if (headroom < 0) headroom = 0;
        if (headroom < grant) grant = headroom;
      }
      // 4. limit
      std::string limit = "none";
      if (grant != base) {
        for (const auto& [name, headroom] : headrooms) {
          if (headroom == grant) {
            limit = name;
            break;
          }
        }
      }
      // 5. Record.
      result.ledger.push_back({d.id, pool.id, base, grant, limit});
      granted_here += grant;
      if (grant > 0) {
        if (caps.per_donor_count)
          state.used[{"per_donor_count", d.donor, "", period_key(caps.per_donor_count->per, d, rules)}] += 1;
        if (caps.per_donor) state.used[{"per_donor", d.donor, "", period_key(caps.per_donor->per, d, rules)}] += grant;
        if (caps.per_donor_project)
          state.used[{"per_donor_project", d.donor, d.project, period_key(caps.per_donor_project->per, d, rules)}] +=
              grant;
        if (caps.per_project)
          state.used[{"per_project", d.project, "", period_key(caps.per_project->per, d, rules)}] += grant;
        if (caps.per_org && !project.org.empty())
          state.used[{"per_org", project.org, "", period_key(caps.per_org->per, d, rules)}] += grant;
        state.granted += grant;
        ++state.grants;
        if (!state.exhausted_at && state.granted == pool.budget) state.exhausted_at = d.time_text;
      }
    }
  }

  for (std::size_t p = 0; p < rules.pools.size(); ++p) {
    const PoolState& state = states[p];
    result.pools.push_back({rules.pools[p].id, rules.pools[p].budget, state.granted, state.grants, state.exhausted_at});
    result.matched += state.granted;
  }
  return result;
}

}  // namespace reference
