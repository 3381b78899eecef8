#include "bench/synthetic.hpp"

#include <cmath>
#include <random>

#include "engine/csv_writer.hpp"
#include "engine/hash.hpp"

namespace matchfund::bench {
namespace {

// A name such as "p17" built without the operator+ that trips g++ 12's -Wrestrict.
std::string name(char prefix, std::uint64_t n) {
  std::string s(1, prefix);
  s += std::to_string(n);
  return s;
}

// Zipf-like index in [0, n): heavy-tailed popularity without a table.
std::uint32_t heavy_tailed(std::mt19937_64& rng, std::uint32_t n) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double x = std::pow(u(rng), 3.0);  // most mass near 0
  return static_cast<std::uint32_t>(x * n) % n;
}

}  // namespace

DonationStream make_stream(const SyntheticConfig& config, Catalog& catalog) {
  static const char* kCategories[] = {"education", "poverty", "health", "environment", "animals"};
  for (std::uint32_t p = 0; p < config.projects; ++p) {
    std::uint32_t index = catalog.project(name('p', p));
    catalog.project_category[index] = catalog.categories.intern(kCategories[p % 5]).first;
    catalog.project_org[index] = catalog.orgs.intern(name('o', p / 7)).first;
  }
  for (std::uint32_t d = 0; d < config.donors; ++d) catalog.donors.intern(name('u', d));
  const std::uint32_t channels[] = {0, catalog.channels.intern("coins").first, catalog.channels.intern("steps").first};

  static const Minor kAmounts[] = {100, 500, 990, 1000, 2000, 5000, 6600, 8800, 9900, 10000, 20000, 50000, 99900};
  std::mt19937_64 rng(config.seed);
  DonationStream s;
  s.label = "synthetic";
  const Micros start = 1504746000LL * kMicrosPerSecond;  // 2017-09-07T09:00:00+08:00
  const Micros span = 3 * kMicrosPerDay;
  for (std::size_t i = 0; i < config.donations; ++i) {
    s.time.push_back(start + static_cast<Micros>(static_cast<double>(i) / config.donations * span));
    s.time_style.push_back(TimeStyle{480, 0, 1});
    s.donor.push_back(heavy_tailed(rng, config.donors));
    s.project.push_back(heavy_tailed(rng, config.projects));
    s.channel.push_back(channels[rng() % 3]);
    Minor amount = kAmounts[heavy_tailed(rng, 13)];
    s.amount.push_back(amount);
    s.donated += amount;
    s.line.push_back(static_cast<std::uint32_t>(i + 2));
    const std::string id = name('d', i);
    s.ids.append(id, fnv1a64(id));
  }
  return s;
}

std::string giving_day_rules() {
  return R"({
  "campaign": "synthetic giving day", "currency": "CNY", "utc_offset": "+08:00", "seed": 2017,
  "max_total_ratio": "3",
  "pools": [
    {"id": "day1", "budget": "9999000", "match": {"ratio": "1"},
     "windows": [{"start": "2017-09-07T00:00:00+08:00", "end": "2017-09-08T00:00:00+08:00"}],
     "releases": [{"at": "2017-09-07T09:00:00+08:00", "amount": "9999000"}],
     "caps": {"per_donation": "999", "per_donor": {"amount": "999", "per": "day"},
              "per_project": {"amount": "100000"}}},
    {"id": "day2", "budget": "10000000", "match": {"ratio": "1"},
     "windows": [{"start": "2017-09-08T00:00:00+08:00", "end": "2017-09-09T00:00:00+08:00"}],
     "releases": [{"at": "2017-09-08T09:00:00+08:00", "amount": "10000000"}],
     "caps": {"per_donor": {"amount": "999", "per": "day"}, "per_project": {"amount": "100000"}}},
    {"id": "day3", "budget": "10000000", "match": {"tiers": [{"up_to": "100", "ratio": "1"}, {"ratio": "0.5"}]},
     "windows": [{"start": "2017-09-09T00:00:00+08:00", "end": "2017-09-10T00:00:00+08:00"}],
     "releases": [{"at": "2017-09-09T09:00:00+08:00", "amount": "10000000"}],
     "caps": {"per_donor_count": {"count": 5, "per": "day"}, "per_project": {"amount": "100000"}}},
    {"id": "corporate", "budget": "17700000", "priority": 1, "match": {"ratio": "0.5"},
     "eligible": {"categories": ["education"], "channels": ["cash", "coins"]},
     "caps": {"per_org": {"amount": "500000"}, "per_donor_project": {"amount": "200", "per": "day"}}},
    {"id": "surprise", "budget": "666660", "priority": 2, "stack": true,
     "match": {"random": {"min": "0.1", "max": "1", "step": "0.1"}},
     "daily_hours": [{"from": "21:09", "to": "24:00"}]}
  ]
})";
}

std::string to_csv(const DonationStream& s, const Catalog& catalog) {
  std::string out = "id,time,donor,project,amount,channel\n";
  for (std::size_t i = 0; i < s.size(); ++i) {
    append_csv_field(out, s.id(i));
    out += ',';
    out += format_instant(s.time[i], s.time_style[i]);
    out += ',';
    out.append(catalog.donors.name(s.donor[i]));
    out += ',';
    out.append(catalog.projects.name(s.project[i]));
    out += ',';
    append_amount(out, s.amount[i], 2);
    out += ',';
    out.append(catalog.channels.name(s.channel[i]));
    out += '\n';
  }
  return out;
}

}  // namespace matchfund::bench
