// Property and differential tests of the allocator (SPEC 4, 5).
//
// A seeded generator makes random campaigns: rules JSON, a donations CSV and a
// projects CSV for the engine, and the same campaign as reference::Rules for
// the reference allocator (tests/reference). Then:
//   - differential: the engine's ledger and summary equal the reference's;
//   - invariants, checked on the engine's output alone: no budget, release
//     schedule or cap is ever exceeded, the summary adds up, outputs are
//     deterministic, and the result does not depend on how the stream is cut
//     into allocate() calls.
//
// Environment:
//   MATCHFUND_PROPERTY_SCENARIOS  number of scenarios per test (default 200)
//   MATCHFUND_PROPERTY_SEED       seed of the first scenario (scenario i uses seed + i)
//   MATCHFUND_PROPERTY_DUMP       a folder: failing scenarios' input files are written there
// A failing scenario is printed with its seed and its input files; rerun it
// alone with MATCHFUND_PROPERTY_SEED=<seed> MATCHFUND_PROPERTY_SCENARIOS=1.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/error.hpp"
#include "engine/file_io.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/plan.hpp"
#include "engine/rules.hpp"
#include "engine/simulation.hpp"
#include "engine/streamed_simulation.hpp"
#include "reference/reference_allocator.hpp"

namespace {

namespace ref = reference;
using ref::Money;
using Json = nlohmann::ordered_json;

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kCampaignStart = 1'504'742'400 * kSecond;  // 2017-09-07T00:00:00Z
constexpr std::int64_t kLeapDay = 951'696'000 * kSecond;           // 2000-02-28T00:00:00Z

// ---------------------------------------------------------------------------
// Settings

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return std::strtoull(v, nullptr, 10);
}
std::uint64_t scenario_count() { return env_number("MATCHFUND_PROPERTY_SCENARIOS", 200); }
std::uint64_t first_seed() { return env_number("MATCHFUND_PROPERTY_SEED", 20'170'907); }

// ---------------------------------------------------------------------------
// A portable generator (splitmix64): a seed means the same scenario everywhere.

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % (static_cast<std::uint64_t>(hi - lo) + 1));
  }
  Money money(const Money& lo, const Money& hi) { return lo + Money(next()) % (hi - lo + 1); }
  bool percent(int p) { return static_cast<int>(next() % 100) < p; }
  template <class T>
  T pick(std::initializer_list<T> list) {
    return *(list.begin() + next() % list.size());
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[next() % v.size()];
  }
  template <class T>
  std::vector<T> subset(const std::vector<T>& v, int p) {
    std::vector<T> out;
    for (const T& x : v)
      if (percent(p)) out.push_back(x);
    return out;
  }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[next() % i]);
  }

 private:
  std::uint64_t state_;
};

// ---------------------------------------------------------------------------
// Text forms, written here rather than with the engine's own formatters.

Money pow10(int n) {
  Money v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), '0') + s;
}

// `value` / 10^digits as a decimal with exactly `digits` fraction digits (SPEC 5 output).
std::string exact_decimal(const Money& value, int digits) {
  const Money unit = pow10(digits);
  std::string out = Money(value / unit).str();
  if (digits > 0) out += "." + pad_left(Money(value % unit).str(), static_cast<std::size_t>(digits));
  return out;
}

// The same value written as an input may be: trailing fraction zeros dropped at random.
std::string loose_decimal(const Money& value, int digits, Rng& rng) {
  std::string exact = exact_decimal(value, digits);
  if (digits == 0) return exact;
  std::size_t point = exact.find('.');
  std::size_t last_nonzero = exact.find_last_not_of('0');
  std::size_t min_end = last_nonzero == point ? point : last_nonzero + 1;  // shortest exact form
  std::size_t end = static_cast<std::size_t>(rng.between(static_cast<std::int64_t>(min_end),
                                                         static_cast<std::int64_t>(exact.size())));
  if (end == point + 1) end = point;  // "5." is not an amount
  return exact.substr(0, end);
}

// Parses an amount printed with exactly `digits` fraction digits; nullopt otherwise.
std::optional<Money> parse_exact_decimal(const std::string& text, int digits) {
  std::size_t whole = digits == 0 ? text.size() : text.size() - static_cast<std::size_t>(digits) - 1;
  if (text.empty() || whole == 0 || whole > text.size()) return std::nullopt;
  if (digits > 0 && text[whole] != '.') return std::nullopt;
  Money v = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == whole) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// The day of a microsecond count, rounding down (before 1970 too).
std::int64_t floor_day(std::int64_t t) { return t >= 0 ? t / kDay : -((-t + kDay - 1) / kDay); }

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
std::int64_t days_in_year(std::int64_t y) { return is_leap(y) ? 366 : 365; }
std::int64_t days_in_month(std::int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// RFC 3339 with the given offset (zone 'Z', '+' or '-') and fraction digits;
// `digits` must be enough to write the instant exactly.
std::string format_time(std::int64_t utc, int offset_minutes, char zone, int digits) {
  std::int64_t local = utc + offset_minutes * kMinute;
  std::int64_t days = local / kDay, in_day = local % kDay;
  if (in_day < 0) in_day += kDay, --days;
  std::int64_t y = 1970;
  while (days < 0) days += days_in_year(--y);
  while (days >= days_in_year(y)) days -= days_in_year(y++);
  int m = 1;
  while (days >= days_in_month(y, m)) days -= days_in_month(y, m++);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02lldT%02lld:%02lld:%02lld", static_cast<long long>(y), m,
                static_cast<long long>(days + 1), static_cast<long long>(in_day / kHour),
                static_cast<long long>(in_day / kMinute % 60), static_cast<long long>(in_day / kSecond % 60));
  std::string out = buf;
  if (digits > 0) out += "." + pad_left(std::to_string(in_day % kSecond), 6).substr(0, digits);
  if (zone == 'Z') return out + "Z";
  int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", zone, a / 60, a % 60);
  return out + buf;
}

std::string offset_text(int minutes, Rng& rng) {
  char zone = minutes < 0 || (minutes == 0 && rng.percent(30)) ? '-' : '+';
  int a = minutes < 0 ? -minutes : minutes;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", zone, a / 60, a % 60);
  return buf;
}

// An instant written in a random but exact style.
std::string time_text(std::int64_t utc, int rules_offset_minutes, Rng& rng) {
  int offset = rng.pick({0, 0, rules_offset_minutes, 480, -300, 840, -720, 330, -570});
  char zone = offset < 0 ? '-' : '+';
  if (offset == 0) zone = rng.pick({'Z', 'Z', '+', '-'});
  std::int64_t fraction = ((utc % kSecond) + kSecond) % kSecond;
  int needed = 0;
  if (fraction != 0) {
    needed = 6;
    while (fraction % 10 == 0) fraction /= 10, --needed;
  }
  int digits = rng.percent(60) ? needed : static_cast<int>(rng.between(needed, 6));
  return format_time(utc, offset, zone, digits);
}

// A local time of day, "HH:MM" or "HH:MM:SS" ("24:00" for the end of the day).
std::string day_time_text(std::int64_t micros, Rng& rng) {
  std::int64_t s = micros / kSecond;
  char buf[64];
  if (s % 60 == 0 && rng.percent(60))
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60));
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

// RFC 4180 field as SPEC 8 writes it: quoted if and only if needed.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
// As an input may write it: sometimes quoted without need.
std::string csv_input_field(const std::string& s, Rng& rng) {
  if (s.find_first_of(",\"\r\n") == std::string::npos && rng.percent(10)) return "\"" + s + "\"";
  return csv_field(s);
}

// ---------------------------------------------------------------------------
// Scenarios

struct Scenario {
  std::uint64_t seed = 0;
  ref::Rules rules;
  std::map<std::string, ref::Project> projects;  // what the projects file says
  std::vector<ref::Donation> donations;         // every row, duplicates included, in file order
  std::vector<std::size_t> lines;               // the physical line each donation row starts on
  std::string rules_json, donations_csv, projects_csv;
  bool has_projects_file = false;

  std::string describe() const {
    std::ostringstream o;
    o << "scenario seed " << seed << " (rerun alone: MATCHFUND_PROPERTY_SEED=" << seed
      << " MATCHFUND_PROPERTY_SCENARIOS=1)\n--- rules.json ---\n"
      << rules_json << "\n--- projects.csv ---\n"
      << (has_projects_file ? projects_csv : std::string("(no projects file)\n")) << "--- donations.csv ---\n"
      << donations_csv << "--- end of scenario " << seed << " ---\n";
    return o.str();
  }
};

Money amount_of(Rng& rng, const Money& unit) {
  Money v = unit * rng.pick({0, 1, 1, 2, 5, 10, 12, 30, 88, 100, 500});
  if (rng.percent(40)) v += rng.money(0, unit - 1);
  if (v == 0) v = rng.money(1, unit);
  return v;
}

ref::Period period_of(Rng& rng, Json& cap) {
  switch (rng.between(0, 2)) {
    case 0:
      return ref::Period::campaign;  // "per" left out
    case 1:
      cap["per"] = "campaign";
      return ref::Period::campaign;
    default:
      cap["per"] = "day";
      return ref::Period::day;
  }
}

// Shuffles the keys of a JSON object (key order must not matter).
Json shuffled(const Json& object, Rng& rng) {
  std::vector<std::pair<std::string, Json>> items;
  for (const auto& [k, v] : object.items()) items.emplace_back(k, v);
  rng.shuffle(items);
  Json out = Json::object();
  for (auto& [k, v] : items) out[k] = std::move(v);
  return out;
}

Scenario generate(std::uint64_t seed) {
  Rng rng(seed);
  Scenario s;
  s.seed = seed;
  ref::Rules& rules = s.rules;
  const int mu = rng.pick({0, 1, 2, 2, 2, 3, 6});
  const Money unit = pow10(mu);
  rules.minor_units = mu;
  const int offset_minutes = rng.pick({0, 0, 480, -300, 840, -720, 330, -570, 60});
  rules.utc_offset = offset_minutes * kMinute;
  rules.seed = rng.percent(50) ? rng.next() >> 1 : static_cast<std::uint64_t>(rng.between(0, 100));
  const bool huge = rng.percent(8);  // one very large donation and a very large ratio: bases may overflow
  if (rng.percent(30))
    rules.max_total_ratio = huge && rng.percent(50) ? Money(9'000'000'000'000)  // headroom beyond 64 bits
                                                    : Money(rng.pick<std::int64_t>({0, 500'000, 1'000'000, 1'500'000,
                                                                                   2'000'000, rng.between(0, 3'000'000)}));

  // Names: few donors and projects so that caps bind.
  std::vector<std::string> projects, donors;
  const bool wide = rng.percent(5);  // many names and a long stream: the engine's tables must grow
  const int n_projects = static_cast<int>(wide ? rng.between(20, 80) : rng.between(2, 6));
  for (int i = 0; i < n_projects; ++i) {
    std::string id = "p" + std::to_string(i);
    if (rng.percent(12)) id = rng.pick<std::string>({"p,", "p\"", "p ", "проект", "p|"}) + std::to_string(i);
    projects.push_back(id);
  }
  const int n_donors = static_cast<int>(wide ? rng.between(50, 300) : rng.between(2, 6));
  for (int i = 0; i < n_donors; ++i) donors.push_back(rng.percent(10) ? "u," + std::to_string(i) : "u" + std::to_string(i));
  const std::vector<std::string> categories = {"health", "edu", ""};
  const std::vector<std::string> orgs = {"o1", "o2", ""};

  // The projects file.
  s.has_projects_file = rng.percent(80);
  if (s.has_projects_file) {
    std::vector<std::string> columns = {"project"};
    const bool has_category = rng.percent(85), has_org = rng.percent(85);
    if (has_category) columns.push_back("category");
    if (has_org) columns.push_back("org");
    if (rng.percent(20)) columns.push_back("note");
    rng.shuffle(columns);
    const std::string eol = rng.percent(30) ? "\r\n" : "\n";
    std::string text;
    for (std::size_t c = 0; c < columns.size(); ++c) text += (c ? "," : "") + columns[c];
    text += eol;
    std::vector<std::string> listed = rng.subset(projects, 75);
    if (rng.percent(20)) listed.push_back("unused");
    rng.shuffle(listed);
    for (const std::string& p : listed) {
      ref::Project info{has_category ? rng.pick(categories) : "", has_org ? rng.pick(orgs) : ""};
      s.projects[p] = info;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const std::string& col = columns[c];
        std::string v = col == "project" ? p : col == "category" ? info.category : col == "org" ? info.org : "x, y";
        text += c ? "," : "";
        text += csv_input_field(v, rng);
      }
      text += eol;
    }
    s.projects_csv = text;
  }

  // Donations, times left for later. Long streams span more than one of the allocator's batches.
  constexpr auto kBatch = static_cast<std::int64_t>(matchfund::Allocator::kBatch);
  const int n_donations = wide              ? static_cast<int>(rng.between(kBatch + 1, kBatch + 650))
                          : rng.percent(3)  ? 0
                          : rng.percent(80) ? static_cast<int>(rng.between(1, 40))
                          : rng.percent(60) ? static_cast<int>(rng.between(41, 120))
                                            : static_cast<int>(rng.between(kBatch + 1, kBatch + 350));
  const bool has_channel = rng.percent(80);
  const bool repeats_ids = rng.percent(50);  // without repeats, simulate streams the file
  Money total = 0;
  for (int i = 0; i < n_donations; ++i) {
    ref::Donation d;
    d.id = "d" + std::to_string(i);
    if (rng.percent(8)) d.id = rng.pick<std::string>({"d,", "d\"", "d ", "пожертвование", "d\n", "d\"\","}) + std::to_string(i);
    if (i > 0 && repeats_ids && rng.percent(8)) d.id = s.donations[static_cast<std::size_t>(rng.between(0, i - 1))].id;  // duplicate
    d.donor = rng.pick(donors);
    d.project = rng.percent(90) ? rng.pick(projects) : "stray";
    d.amount = amount_of(rng, unit);
    if (huge && i == n_donations / 2)
      d.amount = pow10(15) + rng.money(0, pow10(15));
    else
      total += d.amount;
    if (has_channel) d.channel = rng.pick<std::string>({"", "cash", "cash", "coins", "steps", "Cash"});
    s.donations.push_back(std::move(d));
  }

  // The campaign's span of time.
  const int days = static_cast<int>(rng.between(1, 4));
  // Mostly 2017; sometimes around 1970-01-01 (local days before the epoch) or over 2000-02-29.
  const std::int64_t era = rng.percent(90) ? kCampaignStart : rng.percent(50) ? 0 : kLeapDay;
  const std::int64_t start = era + rng.between(-12, 12) * kHour + rng.between(0, 3600) * kSecond;
  const std::int64_t end = start + days * kDay;
  std::vector<std::int64_t> day_starts;  // UTC instants where local days begin
  for (std::int64_t day = floor_day(start + rules.utc_offset) - 1; day <= floor_day(end + rules.utc_offset) + 1; ++day)
    day_starts.push_back(day * kDay - rules.utc_offset);
  std::vector<std::int64_t> boundaries = day_starts;  // instants donations like to fall on

  // Pools.
  std::vector<std::string> pool_ids = {"tencent", "corp", "surprise", "A", "b-2", "c.3", "d_4", "E5", "x"};
  rng.shuffle(pool_ids);
  // Now and then many pools: the allocator's masks then span several bytes and words.
  const int n_pools = static_cast<int>(!rng.percent(4)    ? rng.between(1, 5)
                                      : rng.percent(50) ? rng.between(9, 40)
                                                        : rng.between(65, 80));
  for (int p = static_cast<int>(pool_ids.size()); p < n_pools; ++p) pool_ids.push_back("pool-" + std::to_string(p));
  const int huge_pool = static_cast<int>(rng.between(0, n_pools - 1));
  Json pools_json = Json::array();
  for (int p = 0; p < n_pools; ++p) {
    ref::Pool pool;
    Json pj = Json::object();
    pool.id = pool_ids[static_cast<std::size_t>(p)];
    pj["id"] = pool.id;
    if (rng.percent(20)) pj["sponsor"] = "Sponsor \"" + pool.id + "\"";
    const int share = rng.pick({5, 20, 50, 150});
    const Money most = std::max(Money(1), Money(total * share / 100));
    pool.budget = rng.percent(10) ? rng.money(1, 3 * unit) : rng.money(1, most);
    pj["budget"] = loose_decimal(pool.budget, mu, rng);
    pool.priority = rng.percent(3) ? rng.pick<std::int64_t>({INT64_MIN, INT64_MAX}) : rng.pick<std::int64_t>({-1, 0, 0, 1, 2});
    if (pool.priority != 0 || rng.percent(30)) pj["priority"] = pool.priority;
    if (rng.percent(50)) {
      pool.stack = rng.percent(40);
      pj["stack"] = pool.stack;
    }

    // RATE
    ref::Rate& rate = pool.rate;
    Json match = Json::object();
    switch (huge && p == huge_pool ? 0 : rng.between(0, 3)) {
      case 0:
        rate.kind = ref::Rate::Kind::ratio;
        rate.ratio = rng.percent(50) ? Money(rng.pick<std::int64_t>({0, 500'000, 1'000'000, 1'740'000, 2'000'000, 333'333, 3'000'000}))
                                     : rng.money(0, 3'000'000);
        if (huge && p == huge_pool) rate.ratio = Money(10'000) * 1'000'000;
        match["ratio"] = loose_decimal(rate.ratio, 6, rng);
        break;
      case 1: {
        rate.kind = ref::Rate::Kind::tiers;
        const int bands = static_cast<int>(rng.between(1, 3));
        const bool open = rng.percent(60);
        Money up_to = 0;
        Json tiers = Json::array();
        for (int b = 0; b < bands; ++b) {
          ref::Band band;
          Json bj = Json::object();
          band.ratio = rng.money(0, 3'000'000);
          if (b + 1 < bands || !open) {
            up_to += rng.money(1, 20 * unit);
            band.up_to = up_to;
            bj["up_to"] = loose_decimal(up_to, mu, rng);
          }
          bj["ratio"] = loose_decimal(band.ratio, 6, rng);
          rate.tiers.push_back(band);
          tiers.push_back(shuffled(bj, rng));
        }
        match["tiers"] = tiers;
        break;
      }
      case 2: {
        rate.kind = ref::Rate::Kind::random;
        rate.min = rng.money(0, 2'000'000);
        if (rng.percent(15)) {
          rate.max = rate.min;
          rate.step = rng.percent(50) ? Money(0) : rng.money(0, 1'000'000);
        } else {
          rate.step = rng.money(1, 500'000);
          rate.max = rate.min + (rng.between(2, 6) - 1) * rate.step;
        }
        match["random"] = shuffled(Json{{"min", loose_decimal(rate.min, 6, rng)},
                                        {"max", loose_decimal(rate.max, 6, rng)},
                                        {"step", loose_decimal(rate.step, 6, rng)}},
                                   rng);
        break;
      }
      default:
        rate.kind = ref::Rate::Kind::fixed;
        rate.fixed = rng.money(0, 20 * unit);
        match["fixed"] = loose_decimal(rate.fixed, mu, rng);
        break;
    }
    pj["match"] = match;

    // ELIGIBILITY
    ref::Eligibility& e = pool.eligible;
    Json eligible = Json::object();
    auto names = [&](const char* key, std::optional<std::vector<std::string>>& field, std::vector<std::string> from,
                     int keep) {
      if (!rng.percent(20)) return;
      field = rng.subset(from, keep);
      eligible[key] = *field;
    };
    std::vector<std::string> known_projects = projects;
    known_projects.push_back("nowhere");
    names("projects", e.projects, known_projects, 50);
    names("exclude_projects", e.exclude_projects, known_projects, 30);
    names("categories", e.categories, {"health", "edu", "", "other"}, 50);
    names("orgs", e.orgs, {"o1", "o2", "", "o3"}, 50);
    names("channels", e.channels, {"cash", "coins", "steps"}, 60);
    if (rng.percent(15)) {
      e.min_donation = rng.percent(10) ? Money(0) : amount_of(rng, unit);
      eligible["min_donation"] = loose_decimal(*e.min_donation, mu, rng);
    }
    if (!eligible.empty() || rng.percent(5)) pj["eligible"] = shuffled(eligible, rng);

    // Windows, daily hours, releases.
    if (rng.percent(25)) {
      pool.windows.emplace();
      Json windows = Json::array();
      const int n = rng.percent(8) ? 0 : static_cast<int>(rng.between(1, 3));
      for (int w = 0; w < n; ++w) {
        ref::Window win;
        win.start = rng.between(start - kDay / 2, end) / kSecond * kSecond;
        win.end = win.start + rng.between(1, 36 * 60) * kMinute + (rng.percent(20) ? rng.between(1, 999'999) : 0);
        pool.windows->push_back(win);
        boundaries.push_back(win.start);
        boundaries.push_back(win.end);
        windows.push_back(Json{{"start", time_text(win.start, offset_minutes, rng)},
                               {"end", time_text(win.end, offset_minutes, rng)}});
      }
      pj["windows"] = windows;
    }
    if (rng.percent(25)) {
      pool.daily_hours.emplace();
      Json hours = Json::array();
      const int n = rng.percent(5) ? 0 : static_cast<int>(rng.between(1, 2));
      for (int h = 0; h < n; ++h) {
        ref::DailyRange r;
        r.from = rng.between(0, 86'399) * kSecond;
        if (rng.percent(60)) r.from = r.from / kMinute * kMinute;
        r.to = rng.percent(30) ? kDay : rng.between(r.from / kSecond + 1, 86'400) * kSecond;
        if (r.to < kDay && rng.percent(50))
          r.to = std::min(kDay, std::max(r.from + kMinute, (r.to + kMinute - 1) / kMinute * kMinute));
        pool.daily_hours->push_back(r);
        for (std::int64_t b : day_starts) {
          boundaries.push_back(b + r.from);
          boundaries.push_back(b + r.to);
        }
        std::string to = r.to == kDay ? rng.pick<std::string>({"24:00", "24:00:00"}) : day_time_text(r.to, rng);
        hours.push_back(Json{{"from", day_time_text(r.from, rng)}, {"to", to}});
      }
      pj["daily_hours"] = hours;
    }
    if (rng.percent(30)) {
      pool.releases.emplace();
      Json releases = Json::array();
      const int n = static_cast<int>(rng.between(1, 3));
      Money left = pool.budget;
      for (int r = 0; r < n; ++r) {
        ref::Release rel;
        rel.amount = r + 1 == n ? left : rng.percent(15) ? Money(0) : rng.money(0, left);
        left -= rel.amount;
        rel.at = rng.between(start - kHour, end) / kSecond * kSecond;
        pool.releases->push_back(rel);
        boundaries.push_back(rel.at);
        releases.push_back(shuffled(Json{{"at", time_text(rel.at, offset_minutes, rng)},
                                         {"amount", loose_decimal(rel.amount, mu, rng)}},
                                    rng));
      }
      pj["releases"] = releases;
    }

    // CAPS
    ref::Caps& caps = pool.caps;
    Json cj = Json::object();
    const int cap_chance = rng.pick({15, 30, 50});
    if (rng.percent(cap_chance)) {
      caps.per_donation = rng.money(0, 20 * unit);
      cj["per_donation"] = loose_decimal(*caps.per_donation, mu, rng);
    }
    if (rng.percent(cap_chance)) {
      Json c = Json::object();
      ref::CountCap cap;
      cap.count = rng.between(0, 3);
      c["count"] = static_cast<std::int64_t>(cap.count);
      cap.per = period_of(rng, c);
      caps.per_donor_count = cap;
      cj["per_donor_count"] = shuffled(c, rng);
    }
    auto amount_cap = [&](const char* key, std::optional<ref::AmountCap>& field, int most) {
      if (!rng.percent(cap_chance)) return;
      Json c = Json::object();
      ref::AmountCap cap;
      cap.amount = rng.money(0, most * unit);
      c["amount"] = loose_decimal(cap.amount, mu, rng);
      cap.per = period_of(rng, c);
      field = cap;
      cj[key] = shuffled(c, rng);
    };
    amount_cap("per_donor", caps.per_donor, 50);
    amount_cap("per_donor_project", caps.per_donor_project, 40);
    if (rng.percent(cap_chance)) {
      Json c = Json::object();
      ref::ProjectCap cap;
      const bool overrides = rng.percent(50);
      if (!overrides || rng.percent(70)) {
        cap.amount = rng.money(0, 80 * unit);
        c["amount"] = loose_decimal(*cap.amount, mu, rng);
      }
      if (overrides) {
        Json o = Json::object();
        std::vector<std::string> named = rng.subset(known_projects, 40);
        if (named.empty()) named.push_back(rng.pick(known_projects));
        for (const std::string& name : named) {
          cap.overrides[name] = rng.money(0, 80 * unit);
          o[name] = loose_decimal(cap.overrides[name], mu, rng);
        }
        c["overrides"] = o;
      }
      cap.per = period_of(rng, c);
      caps.per_project = cap;
      cj["per_project"] = shuffled(c, rng);
    }
    amount_cap("per_org", caps.per_org, 80);
    if (!cj.empty() || rng.percent(5)) pj["caps"] = shuffled(cj, rng);

    rules.pools.push_back(std::move(pool));
    pools_json.push_back(shuffled(pj, rng));
  }

  Json root = Json::object();
  if (rng.percent(50)) root["campaign"] = "property \u00e9t\u00e9";
  if (rng.percent(30)) root["currency"] = "CNY";
  if (mu != 2 || rng.percent(50)) root["minor_units"] = mu;
  if (offset_minutes != 0 || rng.percent(30)) root["utc_offset"] = offset_text(offset_minutes, rng);
  if (rules.seed != 0 || rng.percent(30)) root["seed"] = rules.seed;
  if (rules.max_total_ratio) root["max_total_ratio"] = loose_decimal(*rules.max_total_ratio, 6, rng);
  root["pools"] = pools_json;
  s.rules_json = shuffled(root, rng).dump(rng.percent(50) ? 2 : -1);

  // Times: mostly rising, some out of order, some exactly on (or next to) a boundary.
  std::int64_t clock = start;
  const std::int64_t step = n_donations ? 2 * (end - start) / n_donations : 0;
  for (ref::Donation& d : s.donations) {
    const int roll = static_cast<int>(rng.between(0, 99));
    if (roll < 12) {
      d.time = rng.pick(boundaries) + rng.pick<std::int64_t>({-1, 0, 0, 1});
    } else {
      if (roll < 35) {
        d.time = clock - rng.between(0, kDay);
      } else {
        clock += rng.between(0, step);
        d.time = clock;
      }
      const int grain = static_cast<int>(rng.between(0, 99));
      if (grain < 70) d.time = d.time / kSecond * kSecond;
      else if (grain < 85) d.time = d.time / 1000 * 1000;
    }
    d.time_text = time_text(d.time, offset_minutes, rng);
  }

  // The donations file.
  std::vector<std::string> columns = {"id", "time", "donor", "project", "amount"};
  if (has_channel) columns.push_back("channel");
  if (rng.percent(15)) columns.push_back("note");
  rng.shuffle(columns);
  const std::string eol = rng.percent(30) ? "\r\n" : "\n";
  std::string text = rng.percent(5) ? "\xEF\xBB\xBF" : "";
  for (std::size_t c = 0; c < columns.size(); ++c) text += (c ? "," : "") + columns[c];
  text += eol;
  std::size_t line = 2;
  for (std::size_t i = 0; i < s.donations.size(); ++i) {
    if (rng.percent(4)) text += eol, ++line;  // empty lines are skipped but counted
    const ref::Donation& d = s.donations[i];
    std::string record;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string& col = columns[c];
      std::string v = col == "id"        ? d.id
                      : col == "time"    ? d.time_text
                      : col == "donor"   ? d.donor
                      : col == "project" ? d.project
                      : col == "amount"  ? loose_decimal(d.amount, mu, rng)
                      : col == "channel" ? d.channel
                                         : "n" + std::to_string(i);
      record += c ? "," : "";
      record += csv_input_field(v, rng);
    }
    const bool last = i + 1 == s.donations.size();
    if (!last || rng.percent(90)) record += eol;
    s.lines.push_back(line);
    line += static_cast<std::size_t>(std::count(record.begin(), record.end(), '\n'));
    text += record;
  }
  s.donations_csv = text;
  return s;
}

// ---------------------------------------------------------------------------
// The engine, driven the way apps/simulate_command.cpp drives it.

struct Engine {
  matchfund::Campaign campaign;
  matchfund::Catalog catalog;
  matchfund::DonationStream stream;
  std::unique_ptr<matchfund::Plan> plan;
  std::unique_ptr<matchfund::Allocator> allocator;

  matchfund::DonationInput input(std::size_t begin, std::size_t n) const {
    matchfund::DonationInput in;
    in.size = n;
    in.time = stream.time.data() + begin;
    in.donor = stream.donor.data() + begin;
    in.project = stream.project.data() + begin;
    in.channel = stream.channel.data() + begin;
    in.amount = stream.amount.data() + begin;
    in.id_hash = stream.ids.hash_data() + begin;
    return in;
  }
};

std::unique_ptr<Engine> load_engine(const Scenario& s) {
  auto e = std::make_unique<Engine>();
  e->campaign = matchfund::parse_campaign(s.rules_json, "rules.json");
  if (s.has_projects_file) matchfund::read_projects(s.projects_csv, "projects.csv", e->catalog);
  e->stream = matchfund::read_donations(s.donations_csv, "donations.csv", e->campaign.minor_units, e->catalog);
  e->plan = std::make_unique<matchfund::Plan>(e->campaign, e->catalog);
  e->allocator = std::make_unique<matchfund::Allocator>(*e->plan, e->catalog);
  return e;
}

struct VectorRun {
  std::vector<matchfund::LedgerRow> rows;
  std::size_t failed = matchfund::Allocator::kNoError;  // index of the donation whose base overflowed
};

VectorRun run_whole(Engine& e) {
  VectorRun run;
  matchfund::VectorSink sink;
  run.failed = e.allocator->allocate(e.input(0, e.stream.size()), 0, sink);
  run.rows = std::move(sink.rows);
  return run;
}

std::vector<ref::LedgerRow> named_rows(const Engine& e, const std::vector<matchfund::LedgerRow>& rows) {
  std::vector<ref::LedgerRow> out;
  for (const matchfund::LedgerRow& r : rows)
    out.push_back({std::string(e.stream.id(r.seq)), e.plan->pools()[r.pool].rules->id, Money(r.base), Money(r.grant),
                   std::string(e.plan->limit_name(r.limit))});
  return out;
}

std::string show(const ref::LedgerRow& r) {
  return csv_field(r.donation) + "," + r.pool + "," + r.base.str() + "," + r.granted.str() + "," + r.limit;
}

// A private folder for the CSV sink's files, removed at exit.
const std::string& temp_folder() {
  struct Folder {
    std::string path;
    Folder() {
      // The CSV sink syncs its file: prefer a memory file system.
      for (std::string base : {std::string("/dev/shm/"), ::testing::TempDir()}) {
        std::string pattern = base + "matchfund-property-XXXXXX";
        if (::mkdtemp(pattern.data())) {
          path = pattern;
          return;
        }
      }
    }
    ~Folder() {
      if (!path.empty()) ::rmdir(path.c_str());
    }
  };
  static Folder folder;
  return folder.path;
}

struct TextRun {
  std::string ledger, summary;
  bool streamed = false;  // simulate_donations did not read the file again whole
  std::optional<matchfund::Error> error;
};

// A whole simulate run: the CSV ledger and the summary JSON as the command
// writes them, through the streamed run cut as `shape` says.
TextRun run_text(const Scenario& s, const matchfund::StreamShape& shape = {}) {
  static int counter = 0;
  TextRun out;
  const matchfund::Campaign campaign = matchfund::parse_campaign(s.rules_json, "rules.json");
  matchfund::Catalog catalog;
  if (s.has_projects_file) matchfund::read_projects(s.projects_csv, "projects.csv", catalog);
  const std::string path = temp_folder() + "/ledger-" + std::to_string(++counter) + ".csv";
  {
    matchfund::AtomicOutput file(path);
    try {
      matchfund::SimulateResult result =
          matchfund::simulate_donations(s.donations_csv, "donations.csv", campaign, catalog, file, {}, shape);
      out.summary = std::move(result.summary);
      out.streamed = result.streamed;
    } catch (const matchfund::Error& err) {
      out.error = err;
      return out;  // the temporary goes with `file`
    }
    file.finish();
    file.publish();
  }
  out.ledger = matchfund::read_file(path);
  std::remove(path.c_str());
  return out;
}

// A shape that cuts a scenario's few rows into many batches and chunks: a
// chunk of 1 to 7 rows, batches read from 1 to 300 bytes of text.
matchfund::StreamShape tiny_shape(const Scenario& s) {
  return {1 + s.seed % 7, 1 + (s.seed / 7) % 300};
}

// The ledger CSV and summary JSON that SPEC 5 asks for, from the reference's result.
std::string expected_ledger(const ref::Result& r, int mu) {
  std::string out = "donation,pool,base,granted,limit\n";
  for (const ref::LedgerRow& row : r.ledger)
    out += csv_field(row.donation) + "," + row.pool + "," + exact_decimal(row.base, mu) + "," +
           exact_decimal(row.granted, mu) + "," + row.limit + "\n";
  return out;
}

Json expected_summary(const ref::Result& r, int mu) {
  Json pools = Json::array();
  for (const ref::PoolSummary& p : r.pools) {
    Json j = Json::object();
    j["id"] = p.id;
    j["budget"] = exact_decimal(p.budget, mu);
    j["granted"] = exact_decimal(p.granted, mu);
    j["grants"] = p.grants;
    j["exhausted_at"] = p.exhausted_at ? Json(*p.exhausted_at) : Json(nullptr);
    pools.push_back(j);
  }
  Json j = Json::object();
  j["donations"] = r.donations;
  j["duplicates"] = r.duplicates;
  j["donated"] = exact_decimal(r.donated, mu);
  j["matched"] = exact_decimal(r.matched, mu);
  j["pools"] = pools;
  return j;
}

// ---------------------------------------------------------------------------
// Running checks over many scenarios

using Problems = std::vector<std::string>;

// Writes the scenario's input files under dir/<seed>/ so the command line can replay them.
std::string dump(const Scenario& s, const std::string& dir) {
  const std::string folder = dir + "/" + std::to_string(s.seed);
  ::mkdir(dir.c_str(), 0755);
  ::mkdir(folder.c_str(), 0755);
  std::vector<std::pair<std::string, const std::string*>> files = {{"rules.json", &s.rules_json},
                                                                   {"donations.csv", &s.donations_csv}};
  if (s.has_projects_file) files.emplace_back("projects.csv", &s.projects_csv);
  for (const auto& [name, text] : files) {
    std::ofstream out(folder + "/" + name, std::ios::binary);
    out << *text;
    if (!out) return "could not write " + folder + "/" + name + "\n";
  }
  return "inputs written to " + folder + "/\n";
}

template <class Check>
void for_each_scenario(Check check) {
  const std::uint64_t n = scenario_count(), seed0 = first_seed();
  int failing = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const Scenario s = generate(seed0 + i);
    Problems problems;
    try {
      check(s, problems);
    } catch (const std::exception& ex) {
      problems.push_back(std::string("unexpected exception: ") + ex.what());
    }
    if (problems.empty()) continue;
    std::ostringstream o;
    o << problems.size() << " problem(s) in scenario seed " << s.seed << ":\n";
    for (std::size_t k = 0; k < problems.size() && k < 15; ++k) o << "  - " << problems[k] << "\n";
    if (const char* dir = std::getenv("MATCHFUND_PROPERTY_DUMP"); dir && *dir) o << dump(s, dir);
    ADD_FAILURE() << o.str() << s.describe();
    if (++failing == 3) {
      ADD_FAILURE() << "stopping after 3 failing scenarios";
      return;
    }
  }
}

// The donations the engine keeps: the first row of every id, in file order.
std::vector<const ref::Donation*> accepted(const Scenario& s) {
  std::vector<const ref::Donation*> out;
  std::set<std::string> seen;
  for (const ref::Donation& d : s.donations)
    if (seen.insert(d.id).second) out.push_back(&d);
  return out;
}

Money unlocked_at(const ref::Pool& pool, std::int64_t t) {
  if (!pool.releases) return pool.budget;
  Money sum = 0;
  for (const ref::Release& r : *pool.releases)
    if (r.at <= t) sum += r.amount;
  return sum;
}

std::int64_t period(ref::Period per, const ref::Donation& d, const ref::Rules& rules) {
  return per == ref::Period::campaign ? INT64_MIN : floor_day(d.time + rules.utc_offset);
}

// ---------------------------------------------------------------------------
// Differential: engine == reference

void check_against_reference(const Scenario& s, Problems& problems) {
  const ref::Result expected = ref::allocate(s.rules, s.projects, s.donations);
  const int mu = s.rules.minor_units;

  auto e = load_engine(s);
  const VectorRun run = run_whole(*e);
  const std::vector<ref::LedgerRow> rows = named_rows(*e, run.rows);
  for (std::size_t i = 0; i < std::min(rows.size(), expected.ledger.size()); ++i) {
    if (rows[i] == expected.ledger[i]) continue;
    problems.push_back("ledger row " + std::to_string(i + 1) + ": engine " + show(rows[i]) + ", reference " +
                       show(expected.ledger[i]));
    break;
  }
  if (rows.size() != expected.ledger.size())
    problems.push_back("ledger rows: engine " + std::to_string(rows.size()) + ", reference " +
                       std::to_string(expected.ledger.size()));

  if (expected.base_overflow_at) {
    const ref::Donation& d = s.donations[*expected.base_overflow_at];
    if (run.failed == matchfund::Allocator::kNoError)
      problems.push_back("reference: the base of donation " + csv_field(d.id) +
                         " does not fit int64 (input error); engine: no error");
    else if (e->stream.id(run.failed) != d.id)
      problems.push_back("base overflow at donation " + csv_field(std::string(e->stream.id(run.failed))) +
                         " in the engine, at " + csv_field(d.id) + " in the reference");
    const TextRun text = run_text(s, tiny_shape(s));
    const std::string place = "donations.csv, line " + std::to_string(s.lines[*expected.base_overflow_at]) + ", column amount";
    if (!text.error)
      problems.push_back("simulate: expected an input error at " + place + ", the run succeeded");
    else if (text.error->kind() != matchfund::ErrorKind::input || std::string(text.error->what()).find(place) != 0)
      problems.push_back("simulate: expected an input error at " + place + ", got (exit " +
                         std::to_string(text.error->exit_status()) + ") " + text.error->what());
    return;
  }
  if (run.failed != matchfund::Allocator::kNoError) {
    problems.push_back("engine: base overflow at donation " + csv_field(std::string(e->stream.id(run.failed))) +
                       "; reference: no overflow");
    return;
  }

  // The files simulate writes, byte for byte (ledger) and value for value (summary).
  const TextRun text = run_text(s, tiny_shape(s));
  if (text.error) {
    problems.push_back(std::string("simulate failed: ") + text.error->what());
    return;
  }
  const std::string ledger = expected_ledger(expected, mu);
  if (text.ledger != ledger) {
    std::size_t at = 0;
    while (at < ledger.size() && at < text.ledger.size() && ledger[at] == text.ledger[at]) ++at;
    std::size_t from = ledger.rfind('\n', at == 0 ? 0 : at - 1);
    from = from == std::string::npos ? 0 : from + 1;
    problems.push_back("ledger CSV differs at byte " + std::to_string(at) + ": engine \"" +
                       text.ledger.substr(from, 80) + "\", expected \"" + ledger.substr(from, 80) + "\"");
  }
  // Streamed unless an id repeats (overflows returned above).
  if (text.streamed != (expected.duplicates == 0))
    problems.push_back(std::string("simulate ") + (text.streamed ? "streamed" : "read the file again whole") +
                       " with " + std::to_string(expected.duplicates) + " duplicates");
  const Json want = expected_summary(expected, mu);
  Json got;
  try {
    got = Json::parse(text.summary);
  } catch (const std::exception& ex) {
    problems.push_back(std::string("summary is not JSON: ") + ex.what());
    return;
  }
  if (got != want) problems.push_back("summary: engine " + got.dump() + "\n    reference " + want.dump());
}

// ---------------------------------------------------------------------------
// Invariants on the engine's output alone

void check_invariants(const Scenario& s, Problems& problems) {
  auto e = load_engine(s);
  const VectorRun run = run_whole(*e);
  const ref::Rules& rules = s.rules;
  const std::vector<const ref::Donation*> donations = accepted(s);
  auto fail = [&](const std::string& what) { problems.push_back(what); };

  if (e->stream.size() != donations.size()) {
    fail("the engine kept " + std::to_string(e->stream.size()) + " donations, the file has " +
         std::to_string(donations.size()) + " distinct ids");
    return;
  }
  for (std::size_t i = 0; i < donations.size(); ++i)
    if (e->stream.id(i) != donations[i]->id) {
      fail("donation " + std::to_string(i) + " has id " + csv_field(std::string(e->stream.id(i))) + ", expected " +
           csv_field(donations[i]->id));
      return;
    }

  const auto& plan_pools = e->plan->pools();
  const std::size_t n_pools = plan_pools.size();
  std::vector<Money> granted(n_pools);
  std::vector<std::uint64_t> grants(n_pools);
  std::vector<std::optional<std::string>> exhausted_at(n_pools);
  // Per pool: what was granted (or how many grants > 0) per cap, scope and period.
  std::vector<std::map<std::tuple<std::string, std::string, std::string, std::int64_t>, Money>> used(n_pools);
  std::uint64_t last_seq = 0;
  std::uint32_t last_pool = 0;
  Money this_donation = 0;  // granted so far to the donation of the previous row
  bool first = true;
  std::size_t row_number = 0;

  for (const matchfund::LedgerRow& row : run.rows) {
    ++row_number;
    const std::string where = "ledger row " + std::to_string(row_number) + " (" +
                              (row.seq < donations.size() ? csv_field(donations[row.seq]->id) : "?") + ", pool " +
                              (row.pool < n_pools ? plan_pools[row.pool].rules->id : "?") + "): ";
    if (row.seq >= donations.size() || row.pool >= n_pools) {
      fail(where + "donation or pool out of range");
      return;
    }
    if (!first && (row.seq < last_seq || (row.seq == last_seq && row.pool <= last_pool)))
      fail(where + "not in allocation order (donations in file order, pools in try order)");
    if (first || row.seq != last_seq) this_donation = 0;
    first = false;
    last_seq = row.seq;
    last_pool = row.pool;

    const ref::Donation& d = *donations[row.seq];
    const ref::Pool& pool = rules.pools[plan_pools[row.pool].rules_index];
    const std::string limit(e->plan->limit_name(row.limit));
    const Money base = row.base, grant = row.grant;
    if (grant < 0 || grant > base) fail(where + "grant " + grant.str() + " is outside [0, base " + base.str() + "]");
    if ((limit == "none") != (grant == base))
      fail(where + "limit " + limit + " with grant " + grant.str() + " and base " + base.str());
    if (!pool.stack && this_donation > 0) fail(where + "a stack:false pool wrote a row after an earlier grant > 0");

    // The pool: never more than the budget; a grant > 0 never takes the total past what is unlocked at t.
    granted[row.pool] += grant;
    if (granted[row.pool] > pool.budget)
      fail(where + "pool total " + granted[row.pool].str() + " exceeds the budget " + pool.budget.str());
    if (grant > 0 && granted[row.pool] > unlocked_at(pool, d.time))
      fail(where + "after this grant the pool total " + granted[row.pool].str() + " exceeds unlocked(t) = " +
           unlocked_at(pool, d.time).str());
    if (grant > 0) ++grants[row.pool];
    if (!exhausted_at[row.pool] && granted[row.pool] == pool.budget) exhausted_at[row.pool] = d.time_text;

    // max_total_ratio over the pools of one donation.
    this_donation += grant;
    if (rules.max_total_ratio && this_donation > d.amount * *rules.max_total_ratio / 1'000'000)
      fail(where + "the donation's grants " + this_donation.str() + " exceed amount * max_total_ratio");

    // Caps, in every scope and period.
    const ref::Caps& caps = pool.caps;
    auto& u = used[row.pool];
    auto bound = [&](const char* cap, const std::string& a, const std::string& b, std::int64_t per, const Money& add,
                     const Money& limit_value) {
      Money& total = u[{cap, a, b, per}];
      total += add;
      if (total > limit_value)
        fail(where + cap + " exceeded: " + total.str() + " > " + limit_value.str() + " for " + csv_field(a) +
             (b.empty() ? "" : "/" + csv_field(b)) + (per == INT64_MIN ? " (campaign)" : " (day " + std::to_string(per) + ")"));
    };
    if (caps.per_donation && grant > *caps.per_donation)
      fail(where + "grant exceeds per_donation " + caps.per_donation->str());
    if (caps.per_donor_count && grant > 0)
      bound("per_donor_count", d.donor, "", period(caps.per_donor_count->per, d, rules), 1, caps.per_donor_count->count);
    if (caps.per_donor) bound("per_donor", d.donor, "", period(caps.per_donor->per, d, rules), grant, caps.per_donor->amount);
    if (caps.per_donor_project)
      bound("per_donor_project", d.donor, d.project, period(caps.per_donor_project->per, d, rules), grant,
            caps.per_donor_project->amount);
    if (caps.per_project) {
      std::optional<Money> limit_value = caps.per_project->amount;
      if (auto it = caps.per_project->overrides.find(d.project); it != caps.per_project->overrides.end())
        limit_value = it->second;
      if (limit_value) bound("per_project", d.project, "", period(caps.per_project->per, d, rules), grant, *limit_value);
    }
    if (caps.per_org) {
      auto it = s.projects.find(d.project);
      const std::string org = it == s.projects.end() ? "" : it->second.org;
      if (!org.empty()) bound("per_org", org, "", period(caps.per_org->per, d, rules), grant, caps.per_org->amount);
    }
  }
  if (run.failed != matchfund::Allocator::kNoError) return;  // the run is an input error: no summary

  // The summary adds up.
  const int mu = rules.minor_units;
  Json summary;
  try {
    summary = Json::parse(matchfund::summary_json(*e->plan, e->stream, *e->allocator));
  } catch (const std::exception& ex) {
    fail(std::string("summary is not JSON: ") + ex.what());
    return;
  }
  auto field = [](const Json& j, const char* key) { return j.is_object() && j.contains(key) ? j.at(key) : Json("missing"); };
  auto amount_field = [&](const Json& j, const char* key) -> std::optional<Money> {
    const Json v = field(j, key);
    if (!v.is_string() || v == Json("missing")) return std::nullopt;
    return parse_exact_decimal(v.get<std::string>(), mu);
  };
  Money donated = 0;
  for (const ref::Donation* d : donations) donated += d->amount;
  if (field(summary, "donations") != Json(donations.size()))
    fail("summary donations " + field(summary, "donations").dump() + ", expected " + std::to_string(donations.size()));
  if (field(summary, "duplicates") != Json(s.donations.size() - donations.size()))
    fail("summary duplicates " + field(summary, "duplicates").dump());
  if (amount_field(summary, "donated") != donated) fail("summary donated " + field(summary, "donated").dump());
  Money matched = 0;
  for (const Money& g : granted) matched += g;
  if (amount_field(summary, "matched") != matched)
    fail("summary matched " + field(summary, "matched").dump() + ", the ledger sums to " + matched.str());
  const Json pools = field(summary, "pools");
  if (pools.size() != rules.pools.size()) {
    fail("summary lists " + std::to_string(pools.size()) + " pools");
    return;
  }
  for (std::size_t p = 0; p < n_pools; ++p) {
    const std::uint32_t r = plan_pools[p].rules_index;
    const Json& j = pools[r];
    const ref::Pool& pool = rules.pools[r];
    const std::string where = "summary pool " + pool.id + ": ";
    if (field(j, "id") != Json(pool.id)) fail(where + "listed as " + field(j, "id").dump());
    if (amount_field(j, "budget") != pool.budget) fail(where + "budget " + field(j, "budget").dump());
    if (amount_field(j, "granted") != granted[p])
      fail(where + "granted " + field(j, "granted").dump() + ", the ledger sums to " + granted[p].str());
    if (field(j, "grants") != Json(grants[p]))
      fail(where + "grants " + field(j, "grants").dump() + ", the ledger has " + std::to_string(grants[p]));
    const Json want = exhausted_at[p] ? Json(*exhausted_at[p]) : Json(nullptr);
    if (field(j, "exhausted_at") != want)
      fail(where + "exhausted_at " + field(j, "exhausted_at").dump() + ", expected " + want.dump());
  }
}

// ---------------------------------------------------------------------------
// Tests

TEST(PropertyDifferential, EngineMatchesReference) { for_each_scenario(check_against_reference); }

TEST(PropertyInvariants, BudgetsReleasesCapsAndSummaryHold) { for_each_scenario(check_invariants); }

// Twice, once streamed in tiny chunks: how a run is cut changes nothing.
TEST(PropertyInvariants, SameInputsGiveByteIdenticalOutputs) {
  for_each_scenario([](const Scenario& s, Problems& problems) {
    const TextRun a = run_text(s), b = run_text(s, tiny_shape(s));
    if (a.error.has_value() != b.error.has_value() ||
        (a.error && std::string(a.error->what()) != std::string(b.error->what())))
      problems.push_back("one run failed and the other did not, or with another message");
    if (a.ledger != b.ledger) problems.push_back("two runs wrote different ledgers");
    if (a.summary != b.summary) problems.push_back("two runs wrote different summaries:\n" + a.summary + b.summary);
    if (!a.error && a.ledger.rfind("donation,pool,base,granted,limit\n", 0) != 0)
      problems.push_back("the ledger does not start with its header");
  });
}

TEST(PropertyInvariants, BatchSplittingDoesNotChangeTheResult) {
  for_each_scenario([](const Scenario& s, Problems& problems) {
    auto whole_engine = load_engine(s);
    const VectorRun whole = run_whole(*whole_engine);

    // The same stream through one allocator in slices of random sizes.
    Rng rng(s.seed ^ 0x5eed);
    auto e = load_engine(s);
    matchfund::VectorSink sink;
    std::size_t failed = matchfund::Allocator::kNoError;
    const std::size_t n = e->stream.size();
    std::string cuts;
    for (std::size_t begin = 0; begin < n;) {
      constexpr auto kBatch = static_cast<std::int64_t>(matchfund::Allocator::kBatch);
      std::size_t size = static_cast<std::size_t>(rng.pick<std::int64_t>(
          {1, rng.between(1, 5), rng.between(1, 300), rng.between(kBatch - 6, kBatch + 450)}));
      size = std::min(size, n - begin);
      cuts += std::to_string(size) + " ";
      std::size_t f = e->allocator->allocate(e->input(begin, size), begin, sink);
      if (f != matchfund::Allocator::kNoError) {
        failed = begin + f;
        break;
      }
      begin += size;
    }
    if (failed != whole.failed)
      problems.push_back("slices (" + cuts + ") failed at " + std::to_string(failed) + ", one call at " +
                         std::to_string(whole.failed));
    if (sink.rows != whole.rows) {
      std::size_t i = 0;
      while (i < sink.rows.size() && i < whole.rows.size() && sink.rows[i] == whole.rows[i]) ++i;
      auto a = named_rows(*e, sink.rows), b = named_rows(*whole_engine, whole.rows);
      problems.push_back("slices (" + cuts + ") give other rows from row " + std::to_string(i + 1) + ": " +
                         (i < a.size() ? show(a[i]) : "(none)") + " vs one call: " + (i < b.size() ? show(b[i]) : "(none)"));
    }
    if (failed == matchfund::Allocator::kNoError && whole.failed == matchfund::Allocator::kNoError) {
      const std::string a = matchfund::summary_json(*e->plan, e->stream, *e->allocator);
      const std::string b = matchfund::summary_json(*whole_engine->plan, whole_engine->stream, *whole_engine->allocator);
      if (a != b) problems.push_back("slices (" + cuts + ") give another summary:\n" + a + "vs one call:\n" + b);
    }
  });
}

// The generator must reach every corner, or the tests above prove little.
TEST(PropertyGenerator, CoversEveryLimitAndOutcome) {
  const std::uint64_t n = scenario_count();
  if (n < 200) GTEST_SKIP() << "coverage is only judged over at least 200 scenarios";
  std::map<std::string, int> limits;
  int streamed = 0, overflows = 0, exhausted = 0, duplicates = 0, out_of_order = 0, big = 0, stack_false_rows = 0, day_caps = 0;
  int over_a_byte_of_pools = 0, over_a_word_of_pools = 0;  // more than 8 or 64 pools
  for (std::uint64_t i = 0; i < n; ++i) {
    const Scenario s = generate(first_seed() + i);
    const ref::Result r = ref::allocate(s.rules, s.projects, s.donations);
    for (const ref::LedgerRow& row : r.ledger) ++limits[row.limit];
    overflows += r.base_overflow_at.has_value();
    for (const ref::PoolSummary& p : r.pools) exhausted += p.exhausted_at.has_value();
    duplicates += static_cast<int>(r.duplicates);
    streamed += r.duplicates == 0 && !r.base_overflow_at && s.donations.size() > 1;
    for (std::size_t k = 1; k < s.donations.size(); ++k) out_of_order += s.donations[k].time < s.donations[k - 1].time;
    big += s.donations.size() > matchfund::Allocator::kBatch;
    over_a_byte_of_pools += s.rules.pools.size() > 8;
    over_a_word_of_pools += s.rules.pools.size() > 64;
    for (const ref::Pool& p : s.rules.pools) {
      if (!p.stack)
        for (const ref::LedgerRow& row : r.ledger) stack_false_rows += row.pool == p.id;
      for (const auto* cap : {&p.caps.per_donor, &p.caps.per_donor_project, &p.caps.per_org})
        day_caps += cap->has_value() && (*cap)->per == ref::Period::day;
    }
  }
  std::printf("coverage over %llu scenarios: %d overflows, %d exhausted pools, %d duplicates, %d out-of-order rows, "
              "%d long streams, %d stack:false rows, %d day caps; rows by limit:",
              static_cast<unsigned long long>(n), overflows, exhausted, duplicates, out_of_order, big, stack_false_rows,
              day_caps);
  for (const auto& [name, count] : limits) std::printf(" %s %d", name.c_str(), count);
  std::printf("\n");
  for (const char* name : {"none", "per_donation", "per_donor_count", "per_donor", "per_donor_project", "per_project",
                           "per_org", "max_total_ratio", "pool"})
    EXPECT_GT(limits[name], 0) << "no ledger row is limited by " << name;
  EXPECT_GT(overflows, 0) << "no scenario has a base that overflows";
  EXPECT_GT(exhausted, 0) << "no pool is ever exhausted";
  EXPECT_GT(duplicates, 0);
  EXPECT_GT(streamed, 0) << "no scenario of two rows or more is streamed by simulate";
  EXPECT_GT(out_of_order, 0);
  EXPECT_GT(big, 0) << "no stream is longer than the allocator's batch";
  EXPECT_GT(over_a_byte_of_pools, 0) << "no scenario has more than 8 pools";
  EXPECT_GT(over_a_word_of_pools, 0) << "no scenario has more than 64 pools";
  EXPECT_GT(stack_false_rows, 0);
  EXPECT_GT(day_caps, 0);
}

}  // namespace
