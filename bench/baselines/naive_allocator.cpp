#include "bench/baselines/naive_allocator.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

namespace matchfund::bench {
namespace {

double seconds_of(const std::string& rfc3339) {
  std::tm tm{};
  int y, mo, d, h, mi;
  double s;
  char sign = 'Z';
  int oh = 0, om = 0;
  std::sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%lf%c%d:%d", &y, &mo, &d, &h, &mi, &s, &sign, &oh, &om);
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  double t = static_cast<double>(timegm(&tm)) + s;
  double offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
  return sign == 'Z' ? t : t - offset;
}

struct Cap {
  std::string kind;
  double amount = std::numeric_limits<double>::infinity();
  bool per_day = false;
  std::unordered_map<std::string, double> overrides;
};

struct Pool {
  std::string id;
  double budget = 0, granted = 0;
  bool stack = true;
  std::string rate;
  nlohmann::json match;
  std::vector<std::pair<double, double>> windows, releases;
  std::vector<std::pair<double, double>> hours;  // seconds of the local day
  std::set<std::string> projects, categories, channels;
  bool has_projects = false, has_categories = false, has_channels = false;
  std::vector<Cap> caps;
  std::unordered_map<std::string, double> used;  // "cap|scope|day" -> granted
};

}  // namespace

struct NaiveAllocator::Impl {
  std::vector<Pool> pools;
  double offset = 0;
  double max_total_ratio = std::numeric_limits<double>::infinity();
  double matched = 0;
};

NaiveAllocator::NaiveAllocator(const std::string& rules_json) : impl_(std::make_unique<Impl>()) {
  auto j = nlohmann::json::parse(rules_json);
  if (j.contains("utc_offset")) {
    std::string o = j["utc_offset"];
    impl_->offset = (std::stoi(o.substr(1, 2)) * 3600 + std::stoi(o.substr(4, 2)) * 60) * (o[0] == '-' ? -1 : 1);
  }
  if (j.contains("max_total_ratio")) impl_->max_total_ratio = std::stod(j["max_total_ratio"].get<std::string>());
  for (auto& p : j["pools"]) {
    Pool pool;
    pool.id = p["id"];
    pool.budget = std::stod(p["budget"].get<std::string>());
    pool.stack = p.value("stack", true);
    pool.match = p["match"];
    pool.rate = pool.match.begin().key();
    for (auto& w : p.value("windows", nlohmann::json::array()))
      pool.windows.emplace_back(seconds_of(w["start"]), seconds_of(w["end"]));
    for (auto& r : p.value("releases", nlohmann::json::array()))
      pool.releases.emplace_back(seconds_of(r["at"]), std::stod(r["amount"].get<std::string>()));
    for (auto& h : p.value("daily_hours", nlohmann::json::array())) {
      auto secs = [](const std::string& s) { return std::stoi(s.substr(0, 2)) * 3600.0 + std::stoi(s.substr(3, 2)) * 60.0; };
      pool.hours.emplace_back(secs(h["from"]), secs(h["to"]));
    }
    auto e = p.value("eligible", nlohmann::json::object());
    if (e.contains("projects")) pool.has_projects = true, pool.projects = e["projects"].get<std::set<std::string>>();
    if (e.contains("categories"))
      pool.has_categories = true, pool.categories = e["categories"].get<std::set<std::string>>();
    if (e.contains("channels")) pool.has_channels = true, pool.channels = e["channels"].get<std::set<std::string>>();
    auto caps = p.value("caps", nlohmann::json::object());
    for (auto item = caps.begin(); item != caps.end(); ++item) {
      const nlohmann::json& c = item.value();
      Cap cap;
      cap.kind = item.key();
      if (c.is_string()) {
        cap.amount = std::stod(c.get<std::string>());
      } else {
        if (c.contains("amount")) cap.amount = std::stod(c["amount"].get<std::string>());
        if (c.contains("count")) cap.amount = c["count"].get<double>();
        cap.per_day = c.value("per", std::string("campaign")) == "day";
        auto overrides = c.value("overrides", nlohmann::json::object());
        for (auto o = overrides.begin(); o != overrides.end(); ++o)
          cap.overrides[o.key()] = std::stod(o.value().get<std::string>());
      }
      pool.caps.push_back(cap);
    }
    impl_->pools.push_back(std::move(pool));
  }
}

NaiveAllocator::~NaiveAllocator() = default;

double NaiveAllocator::matched() const { return impl_->matched; }

std::vector<NaiveGrant> NaiveAllocator::allocate(const NaiveDonation& d) {
  std::vector<NaiveGrant> out;
  const double local = d.time + impl_->offset;
  const std::string day = std::to_string(static_cast<long>(std::floor(local / 86400)));
  const double tod = local - std::floor(local / 86400) * 86400;
  double given = 0;
  for (Pool& pool : impl_->pools) {
    if (!pool.windows.empty() &&
        std::none_of(pool.windows.begin(), pool.windows.end(), [&](auto& w) { return d.time >= w.first && d.time < w.second; }))
      continue;
    if (!pool.hours.empty() &&
        std::none_of(pool.hours.begin(), pool.hours.end(), [&](auto& h) { return tod >= h.first && tod < h.second; }))
      continue;
    if (pool.has_projects && !pool.projects.count(d.project)) continue;
    if (pool.has_categories && !pool.categories.count(d.category)) continue;
    if (pool.has_channels && !pool.channels.count(d.channel)) continue;
    if (!pool.stack && given > 0) continue;
    double base = 0;
    if (pool.rate == "ratio") {
      base = std::floor(d.amount * std::stod(pool.match["ratio"].get<std::string>()) * 100) / 100;
    } else if (pool.rate == "fixed") {
      base = std::stod(pool.match["fixed"].get<std::string>());
    } else if (pool.rate == "random") {
      double lo = std::stod(pool.match["random"]["min"].get<std::string>());
      double hi = std::stod(pool.match["random"]["max"].get<std::string>());
      base = std::floor(d.amount * (lo + (hi - lo) * (std::hash<std::string>{}(d.id) % 1000) / 999.0) * 100) / 100;
    } else {  // tiers
      double lower = 0, sum = 0;
      for (auto& band : pool.match["tiers"]) {
        double upper = band.contains("up_to") ? std::stod(band["up_to"].get<std::string>()) : 1e300;
        if (d.amount > lower) sum += (std::min(d.amount, upper) - lower) * std::stod(band["ratio"].get<std::string>());
        lower = upper;
      }
      base = std::floor(sum * 100) / 100;
    }
    double grant = base;
    std::string limit = "none";
    std::vector<std::string> keys;
    for (Cap& cap : pool.caps) {
      std::string scope = cap.kind == "per_donation"        ? std::string()
                          : cap.kind == "per_donor_project" ? d.donor + "|" + d.project
                          : cap.kind == "per_project"       ? d.project
                          : cap.kind == "per_org"           ? d.org
                                                            : d.donor;
      std::string key = cap.kind + "|" + scope + "|" + (cap.per_day ? day : "");
      keys.push_back(key);
      double limit_amount = cap.overrides.count(d.project) ? cap.overrides[d.project] : cap.amount;
      double headroom = cap.kind == "per_donation"      ? limit_amount
                        : cap.kind == "per_donor_count" ? (pool.used[key] >= limit_amount ? 0 : grant)
                                                        : std::max(0.0, limit_amount - pool.used[key]);
      if (headroom < grant) grant = headroom, limit = cap.kind;
    }
    double unlocked = pool.budget;
    if (!pool.releases.empty()) {
      unlocked = 0;
      for (auto& r : pool.releases)
        if (r.first <= d.time) unlocked += r.second;
    }
    double total_left = d.amount * impl_->max_total_ratio - given;
    if (total_left < grant) grant = std::max(0.0, total_left), limit = "max_total_ratio";
    if (unlocked - pool.granted < grant) grant = std::max(0.0, unlocked - pool.granted), limit = "pool";
    for (std::size_t c = 0; c < pool.caps.size(); ++c)
      pool.used[keys[c]] += pool.caps[c].kind == "per_donor_count" ? (grant > 0) : grant;
    pool.granted += grant;
    given += grant;
    impl_->matched += grant;
    out.push_back({pool.id, grant, limit});
  }
  return out;
}

}  // namespace matchfund::bench
