// The three built-in profiles: what each is calibrated to, the shape
// assumptions, the rules it writes and its calibration table. Sources and the
// reasoning behind every assumption are in docs/generator.md.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "generator/calendar.hpp"
#include "generator/model.hpp"

namespace matchfund::gen {
namespace {

using Json = nlohmann::ordered_json;

// Minor units of `major` at scale 1, scaled; at least one minor unit so that
// a budget stays valid at any scale.
Minor scaled(double major, double scale) { return std::max<Minor>(1, std::llround(major * 100 * scale)); }
std::string amount(Minor minor) { return format_amount(minor, 2); }
std::string amount_major(double major) { return format_amount(std::llround(major * 100), 2); }

// Local time of the event day `day` (0-based) at `hhmm` ("09:00"), or the
// midnight ending it with "24:00".
std::string at(const Profile& p, int day, const char* hhmm) {
  const int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  const int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  const std::int64_t first = days_from_civil(p.year, static_cast<unsigned>(p.month), static_cast<unsigned>(p.day));
  return local_rfc3339(first + day, h * 3600 + m * 60, p.utc_offset_minutes);
}

// Tranches summing exactly to `budget`, one at 09:00 on each of `days`.
Json daily_releases(const Profile& p, Minor budget, const std::vector<int>& days) {
  Json releases = Json::array();
  const auto n = static_cast<Minor>(days.size());
  for (std::size_t i = 0; i < days.size(); ++i) {
    const Minor part = budget / n + (static_cast<Minor>(i) < budget % n ? 1 : 0);
    releases.push_back({{"at", at(p, days[i], "09:00")}, {"amount", amount(part)}});
  }
  return releases;
}

std::string campaign_name(const std::string& title, const std::string& profile, const RulesContext& ctx) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", ctx.scale);
  return title + " (synthetic: matchfund generate --profile " + profile + " --scale " + buf + " --seed " +
         std::to_string(ctx.seed) + ")";
}

// The top `per_category` ranks of the named categories (all when empty).
Json top_projects(const Profile& p, const RulesContext& ctx, std::uint32_t per_category, std::vector<std::string> only = {}) {
  Json ids = Json::array();
  for (std::size_t c = 0; c < p.categories.size(); ++c) {
    if (!only.empty() && std::find(only.begin(), only.end(), p.categories[c].name) == only.end()) continue;
    for (std::uint32_t r = 0; r < std::min(per_category, ctx.category_sizes[c]); ++r)
      ids.push_back(ctx.project_id(static_cast<int>(c), r));
  }
  return ids;
}

CalibrationRow row(std::string figure, std::string published, double target, double generated, int decimals = 0,
                   std::string unit = "", bool compare = true) {
  return {std::move(figure), std::move(published), target, generated, compare, decimals, std::move(unit)};
}

double major(Minor m) { return static_cast<double>(m) / 100.0; }

std::size_t category_index(const Profile& p, const std::string& name) {
  for (std::size_t c = 0; c < p.categories.size(); ++c)
    if (p.categories[c].name == name) return c;
  return 0;
}

// Rows every profile reports about the stream's shape.
void shape_rows(const Profile& p, const Stats& s, std::vector<CalibrationRow>& rows) {
  std::size_t used = 0;
  for (std::uint64_t n : s.rows_by_project) used += n > 0;
  rows.push_back(row("projects receiving donations", "assumption", static_cast<double>(p.projects),
                     static_cast<double>(used), 0, "", false));
  const double donors = s.donors.estimate();
  rows.push_back(row("distinct donors (HyperLogLog, +-1%)", "assumption", static_cast<double>(s.rows), donors, 0, "", false));
  rows.back().target = donors;
  rows.push_back(row("donations per distinct donor", "assumption", 0, static_cast<double>(s.rows) / std::max(1.0, donors),
                     2, "", false));
  rows.back().target = rows.back().generated;
  rows.push_back(row("rows written out of time order", "assumption",
                     100 * p.late_share, 100.0 * static_cast<double>(s.out_of_order) / std::max<double>(1, s.rows), 3, "%",
                     false));
  rows.push_back(row("largest donation", "assumption", major(s.max_amount), major(s.max_amount), 2, "", false));
}

// ---------------------------------------------------------------------------
// 99 Giving Day (Tencent), the shape family of 2017 and 2021.

std::vector<Category> giving_day_categories() {
  // name, prefix, share of projects, share of donations (count and money), popularity exponent, offset
  return {
      {"education", "edu", 0.30, 0.325, 1.05, 3},   {"poverty", "pov", 0.20, 0.20, 1.05, 3},
      {"health", "hlt", 0.21, 0.22, 1.0, 3},        {"environment", "env", 0.07, 0.06, 1.0, 3},
      {"animals", "ani", 0.05, 0.04, 1.0, 3},       {"disability", "dis", 0.06, 0.06, 1.0, 3},
      {"elderly", "eld", 0.06, 0.04, 1.0, 3},       {"disaster", "dsr", 0.05, 0.055, 1.0, 3},
  };
}

// Lucky and round amounts (CNY), odd amounts between 1 and 500, and a Pareto
// tail from 500 to 100,000 whose weight is solved to hit the published total.
// `big` scales the weight of the amounts of 200 and more, `one` is the weight of 1.00.
AmountModel giving_day_amounts(double big, double one) {
  const std::pair<double, double> atoms[] = {
      {0.01, 0.004}, {1, one},       {2, 0.02},      {5, 0.06},      {6.6, 0.008},   {8.8, 0.008},
      {9.9, 0.05},   {10, 0.14},     {18, 0.008},    {20, 0.10},     {30, 0.025},    {50, 0.08},
      {66, 0.03},    {88, 0.03},     {99, 0.04},     {100, 0.09},    {168, 0.005},   {188, 0.004},
      {200, 0.035},  {300, 0.008},   {500, 0.022},   {520, 0.002},   {666, 0.003},   {888, 0.003},
      {999, 0.006},  {1000, 0.015},  {2000, 0.004},  {5000, 0.002},  {9999, 0.0008}, {10000, 0.001},
  };
  AmountModel m;
  for (auto [a, w] : atoms) m.atoms.push_back({std::llround(a * 100), a >= 200 ? w * big : w});
  m.ranges.push_back({101, 50000, 0.06, 0, 1});               // 1.01 to 500.00, any cents
  m.ranges.push_back({50000, 10'000'000, 0.005, 1.1, 100});  // 500 to 100,000, whole yuan: the solved tail
  return m;
}

// Step-count donations: a few cents to 10 yuan.
AmountModel small_amounts() {
  AmountModel m;
  for (auto [a, w] : {std::pair{10, 0.1}, {50, 0.1}, {100, 0.3}, {200, 0.1}, {500, 0.15}, {1000, 0.05}})
    m.atoms.push_back({a, w});
  m.ranges.push_back({1, 1000, 0.2, 0, 1});
  return m;
}

// Hourly rhythm of a Chinese giving day: a night trough, the morning, a lunch
// bump and the evening peak around 21:00.
std::array<double, 25> giving_day_rhythm() {
  return {0.6, 0.35, 0.2, 0.12, 0.1, 0.12, 0.3, 0.7, 1.0, 1.2, 1.2, 1.15, 1.3,
          1.2, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3, 1.6, 1.7, 1.4, 1.0, 0.6};
}

// The platform pools: one per day, eligible from 09:00 to midnight of its own
// day, random ratio 0.5 to 1.5 (1:1 on average), at most 999 CNY a donor a day (the 2018 rule),
// per-project daily caps (scaled: project totals scale with --scale).
Json platform_pool(const Profile& p, int day, Minor budget, double per_project) {
  char id[32];
  std::snprintf(id, sizeof id, "platform-day%d", day + 1);
  return {
      {"id", id},
      {"sponsor", "Tencent Foundation"},
      {"budget", amount(budget)},
      {"priority", 0},
      {"match", {{"random", {{"min", "0.5"}, {"max", "1.5"}, {"step", "0.1"}}}}},
      {"windows", Json::array({{{"start", at(p, day, "09:00")}, {"end", at(p, day, "24:00")}}})},
      {"eligible", {{"channels", {"cash", "coins"}}, {"min_donation", "1"}}},
      {"caps",
       {{"per_donor", {{"amount", "999"}, {"per", "day"}}},
        {"per_project", {{"amount", amount_major(per_project)}, {"per", "day"}}}}},
  };
}

// A corporate co-matching pool: tried after the platform (priority 10) and
// stacking on it, from 09:00 each day, its budget released in daily tranches.
Json corporate_pool(const Profile& p, const std::string& id, const std::string& sponsor, Minor budget,
                    const std::string& ratio, Json eligible, Json caps, const std::vector<int>& days) {
  return {
      {"id", id},
      {"sponsor", sponsor},
      {"budget", amount(budget)},
      {"priority", 10},
      {"match", {{"ratio", ratio}}},
      {"windows", Json::array({{{"start", at(p, days.front(), "00:00")}, {"end", at(p, days.back(), "24:00")}}})},
      {"daily_hours", Json::array({{{"from", "09:00"}, {"to", "24:00"}}})},
      {"releases", daily_releases(p, budget, days)},
      {"eligible", std::move(eligible)},
      {"caps", std::move(caps)},
  };
}

// The 21:09 surprise: 1:1 for donations nothing else matched, 99 at most a
// donation, one grant a donor.
Json surprise_pool(const Profile& p, int day, Minor budget) {
  return {
      {"id", "surprise-2109"},
      {"sponsor", "Tencent Foundation (surprise)"},
      {"budget", amount(budget)},
      {"priority", 20},
      {"stack", false},
      {"match", {{"ratio", "1"}}},
      {"windows", Json::array({{{"start", at(p, day, "21:09")}, {"end", at(p, day, "24:00")}}})},
      {"caps", {{"per_donation", "99"}, {"per_donor_count", {{"count", 1}}}}},
  };
}

Json rules_head(const Profile& p, const std::string& title, const RulesContext& ctx) {
  return {
      {"campaign", campaign_name(title, p.name, ctx)},
      {"currency", p.currency},
      {"minor_units", 2},
      {"utc_offset", offset_text(p.utc_offset_minutes)},
      {"seed", ctx.seed},
      {"max_total_ratio", "2.5"},
  };
}

// ---------------------------------------------------------------------------

Profile giving_day_2017() {
  Profile p;
  p.name = "giving-day-2017";
  p.currency = "CNY";
  p.utc_offset_minutes = 480;
  p.year = 2017, p.month = 9, p.day = 7;
  p.days = 3;
  p.donations = 12'680'000;
  p.donated = 829'900'000;
  p.projects = 6'466;
  p.categories = giving_day_categories();
  p.channels = {{"cash", 0.82, false}, {"coins", 0.08, false}, {"steps", 0.10, true}};
  p.amounts = giving_day_amounts(1.0, 0.11);
  p.amount_tail = 1;
  p.small_amounts = small_amounts();
  p.big_amount = 50000;
  p.shape.day_weights = {0.45, 0.28, 0.27};
  p.shape.rhythm = giving_day_rhythm();
  p.shape.surges = {{0, 9.0, 0.45, 60, 1}, {1, 9.0, 0.30, 60, 1}, {2, 9.0, 0.30, 60, 1}, {0, 21.15, 0.03, 15, 0.5}};
  p.slice_ms = 1000;
  p.has_special = true;
  SpecialStream& v = p.special;
  v.label = "viral project";
  v.donations = 5'780'000;
  v.donated = 12'300'000;
  v.start_hours = 24 + 6.5;  // 8 Sep, 06:30 to 21:30
  v.duration_hours = 15;
  v.gamma_k = 2.2;
  v.gamma_theta_hours = 2.0;
  v.slice_ms = 1000;
  for (auto [a, w] : {std::pair{100, 0.70}, {200, 0.06}, {300, 0.02}, {500, 0.06}, {660, 0.005}, {880, 0.005},
                      {990, 0.02}, {1000, 0.025}, {2000, 0.005}, {5000, 0.001}})
    v.amounts.atoms.push_back({a, w});
  v.amounts.ranges.push_back({1, 99, 0.03, 0, 1});
  v.amounts.ranges.push_back({1000, 100000, 0.003, 1.2, 100});
  v.amount_tail = 1;
  v.viral_project = true;
  v.viral_category = 5;  // disability
  v.viral_id = "dis-art-gallery";
  v.donor_pool = 5'000'000;
  v.donor_offset = 0.05;
  v.from_regular_donors = 0.2;
  v.channels = {{"cash", 0.9, false}, {"coins", 0.1, false}};
  p.bots = {25'244, 234'775, 6, 1.5, 8};
  p.donor_pool = 2'500'000;
  p.donor_offset = 0.003;
  p.probe = {0, 9, 12, 0};
  p.rules = [](const Profile& p, const RulesContext& ctx) {
    const double s = ctx.scale;
    RulesOut out;
    Json rules = rules_head(p, "99 Giving Day 2017", ctx);
    Json pools = Json::array();
    const double per_project = std::max(0.01, 500'000 * s);
    const Minor day_budgets[] = {scaled(99'990'000, s), scaled(100'000'000, s), scaled(100'000'000, s)};
    for (int d = 0; d < 3; ++d) {
      pools.push_back(platform_pool(p, d, day_budgets[d], per_project));
      out.platform += day_budgets[d];
    }
    const std::vector<int> days = {0, 1, 2};
    auto add = [&](Json pool) {
      out.corporate += parse_amount(pool["budget"].get<std::string>(), 2).value;
      pools.push_back(std::move(pool));
    };
    add(corporate_pool(p, "corp-education", "Corporate partner A", scaled(50'000'000, s), "1",
                       {{"categories", {"education"}}},
                       {{"per_donation", "100"},
                        {"per_donor", {{"amount", "500"}, {"per", "day"}}},
                        {"per_project", {{"amount", amount_major(std::max(0.01, 200'000 * s))}, {"per", "day"}}}},
                       days));
    add(corporate_pool(p, "corp-poverty", "Corporate partner B", scaled(35'000'000, s), "1",
                       {{"categories", {"poverty"}}},
                       {{"per_donation", "100"}, {"per_project", {{"amount", amount_major(std::max(0.01, 300'000 * s))}}}},
                       days));
    add(corporate_pool(p, "corp-health-partners", "Corporate partner C", scaled(30'000'000, s), "1",
                       {{"projects", top_projects(p, ctx, 40, {"health"})}},
                       {{"per_donation", "200"}, {"per_project", {{"amount", amount_major(std::max(0.01, 2'000'000 * s))}}}},
                       days));
    add(corporate_pool(p, "corp-featured", "Corporate partner D", scaled(40'000'000, s), "0.5",
                       {{"projects", top_projects(p, ctx, 25)}},
                       {{"per_donation", "200"}, {"per_project", {{"amount", amount_major(std::max(0.01, 500'000 * s))}}}},
                       days));
    add(corporate_pool(p, "corp-green", "Corporate partner E", scaled(22'000'000, s), "1",
                       {{"categories", {"environment", "animals"}}}, {{"per_donation", "100"}}, days));
    out.surprise = scaled(6'666'600, s);
    pools.push_back(surprise_pool(p, 0, out.surprise));
    rules["pools"] = std::move(pools);
    out.json = rules.dump(2) + "\n";
    return out;
  };
  p.calibrate = [](const Profile& p, const Stats& st, const RulesOut& rules, double s) {
    std::vector<CalibrationRow> rows;
    const double rows_n = static_cast<double>(st.rows);
    rows.push_back(row("donations", "12,680,000", 12'680'000 * s, rows_n));
    rows.push_back(row("donated (CNY)", "829,900,000", 829'900'000 * s, major(st.donated), 2));
    rows.push_back(row("projects", "6,466", 6'466, static_cast<double>(st.rows_by_project.size())));
    rows.push_back(row("platform match, 3 daily pools (CNY)", "299,990,000", 299'990'000 * s, major(rules.platform), 2));
    rows.push_back(row("surprise pool at 21:09 (CNY)", "6,666,600", 6'666'600 * s, major(rules.surprise), 2));
    rows.push_back(row("corporate co-matching (CNY)", "177,000,000", 177'000'000 * s, major(rules.corporate), 2));
    const std::size_t edu = category_index(p, "education");
    rows.push_back(row("education share of donated CNY", "more than 30%", 32.0,
                       100.0 * static_cast<double>(st.donated_by_category[edu]) / std::max<double>(1, st.donated), 2, "%"));
    rows.push_back(row("education share of donation count", "assumption", 0,
                       100.0 * static_cast<double>(st.rows_by_category[edu]) / std::max(1.0, rows_n), 2, "%", false));
    rows.back().target = rows.back().generated;
    rows.push_back(row("viral project donations", "5,780,000", 5'780'000 * s, static_cast<double>(st.rows_by_kind[1])));
    rows.push_back(row("viral project donated (CNY)", "over 12,000,000", 12'300'000 * s, major(st.donated_by_kind[1]), 2));
    rows.push_back(row("viral project first to last donation", "15 h", 15,
                       st.rows_by_kind[1] ? static_cast<double>(st.special_last_ms - st.special_first_ms) / 3.6e6 : 0, 2,
                       "h"));
    rows.push_back(row("bot-like accounts (> 5 donations a minute)", "25,244 (2016)", 25'244 * s,
                       static_cast<double>(st.bot_accounts)));
    rows.push_back(row("donations by bot-like accounts", "234,775 (2016)", 234'775 * s,
                       static_cast<double>(st.rows_by_kind[2])));
    rows.push_back(row("day-1 CNY donated 09:00-12:00, share of day 1", "assumption", 0,
                       100.0 * static_cast<double>(st.probe_sum) / std::max<double>(1, st.donated_by_day[0]), 2, "%", false));
    rows.back().target = rows.back().generated;
    shape_rows(p, st, rows);
    return rows;
  };
  return p;
}

// 2021: 68.7M donations of 3.569 billion CNY over 10 days, 1 to 10 September,
// the three days 7 to 9 September the peak. No viral campaign.
Profile giving_day_2021() {
  Profile p;
  p.name = "giving-day-2021";
  p.currency = "CNY";
  p.utc_offset_minutes = 480;
  p.year = 2021, p.month = 9, p.day = 1;
  p.days = 10;
  p.donations = 68'700'000;
  p.donated = 3'569'000'000;
  p.projects = 10'000;
  p.categories = giving_day_categories();
  p.channels = {{"cash", 0.84, false}, {"coins", 0.06, false}, {"steps", 0.10, true}};
  p.amounts = giving_day_amounts(0.25, 0.25);
  p.amount_tail = 1;
  p.small_amounts = small_amounts();
  p.big_amount = 50000;
  p.shape.day_weights = {0.035, 0.035, 0.035, 0.035, 0.035, 0.035, 0.25, 0.20, 0.22, 0.12};
  p.shape.rhythm = giving_day_rhythm();
  for (int d = 0; d < 10; ++d) p.shape.surges.push_back({d, 9.0, d >= 6 && d <= 8 ? 0.40 : 0.25, 60, 1});
  p.shape.surges.push_back({8, 21.15, 0.03, 15, 0.5});
  p.slice_ms = 1000;
  // Bot-like accounts at 2016's share of rows (1.85% of 2017's 12.68M).
  p.bots = {25'244 * 68.7 / 12.68, 234'775 * 68.7 / 12.68, 6, 1.5, 8};
  p.donor_pool = 20'000'000;
  p.donor_offset = 0.0004;
  p.probe = {6, 9, 12, 0};
  p.rules = [](const Profile& p, const RulesContext& ctx) {
    const double s = ctx.scale;
    RulesOut out;
    Json rules = rules_head(p, "99 Giving Day 2021", ctx);
    Json pools = Json::array();
    const double per_project = std::max(0.01, 500'000 * s);
    for (int d = 0; d < 10; ++d) {
      const double major_budget = d >= 6 && d <= 8 ? 150'000'000 : d == 9 ? 30'000'000 : 20'000'000;
      const Minor budget = scaled(major_budget, s);
      pools.push_back(platform_pool(p, d, budget, per_project));
      out.platform += budget;
    }
    const std::vector<int> days = {6, 7, 8};
    auto add = [&](Json pool) {
      out.corporate += parse_amount(pool["budget"].get<std::string>(), 2).value;
      pools.push_back(std::move(pool));
    };
    add(corporate_pool(p, "corp-education", "Corporate partner A", scaled(120'000'000, s), "1",
                       {{"categories", {"education"}}},
                       {{"per_donation", "50"},
                        {"per_donor", {{"amount", "200"}, {"per", "day"}}},
                        {"per_project", {{"amount", amount_major(std::max(0.01, 200'000 * s))}, {"per", "day"}}}},
                       days));
    add(corporate_pool(p, "corp-rural", "Corporate partner B", scaled(100'000'000, s), "1",
                       {{"categories", {"poverty", "elderly"}}},
                       {{"per_donation", "50"}, {"per_project", {{"amount", amount_major(std::max(0.01, 300'000 * s))}}}},
                       days));
    add(corporate_pool(p, "corp-health", "Corporate partner C", scaled(80'000'000, s), "1",
                       {{"categories", {"health", "disability"}}},
                       {{"per_donation", "50"}, {"per_project", {{"amount", amount_major(std::max(0.01, 300'000 * s))}}}},
                       days));
    add(corporate_pool(p, "corp-featured", "Corporate partner D", scaled(100'000'000, s), "0.5",
                       {{"projects", top_projects(p, ctx, 40)}},
                       {{"per_donation", "100"}, {"per_project", {{"amount", amount_major(std::max(0.01, 600'000 * s))}}}},
                       days));
    out.surprise = scaled(9'990'000, s);
    pools.push_back(surprise_pool(p, 8, out.surprise));
    rules["pools"] = std::move(pools);
    out.json = rules.dump(2) + "\n";
    return out;
  };
  p.calibrate = [](const Profile& p, const Stats& st, const RulesOut& rules, double s) {
    std::vector<CalibrationRow> rows;
    const double rows_n = static_cast<double>(st.rows);
    rows.push_back(row("donations", "68,700,000", 68'700'000 * s, rows_n));
    rows.push_back(row("donated (CNY)", "3,569,000,000", 3'569'000'000.0 * s, major(st.donated), 2));
    rows.push_back(row("projects", "assumption", 10'000, static_cast<double>(st.rows_by_project.size())));
    rows.push_back(row("platform match, 10 daily pools (CNY)", "600,000,000 (foundation support)", 600'000'000 * s,
                       major(rules.platform), 2));
    rows.push_back(row("surprise pool at 21:09 on 9 Sep (CNY)", "assumption", 9'990'000 * s, major(rules.surprise), 2));
    rows.push_back(row("corporate co-matching (CNY)", "assumption", 400'000'000 * s, major(rules.corporate), 2));
    const std::size_t edu = category_index(p, "education");
    rows.push_back(row("education share of donated CNY", "assumption (as 2017)", 32.5,
                       100.0 * static_cast<double>(st.donated_by_category[edu]) / std::max<double>(1, st.donated), 2, "%"));
    rows.push_back(row("share of donations on 7-9 Sep", "assumption", 67.0,
                       100.0 * static_cast<double>(st.rows_by_day[6] + st.rows_by_day[7] + st.rows_by_day[8]) /
                           std::max(1.0, rows_n),
                       2, "%"));
    rows.push_back(row("bot-like accounts (> 5 donations a minute)", "assumption (2016 share)", 25'244 * 68.7 / 12.68 * s,
                       static_cast<double>(st.bot_accounts)));
    rows.push_back(row("donations by bot-like accounts", "assumption (2016 share)", 234'775 * 68.7 / 12.68 * s,
                       static_cast<double>(st.rows_by_kind[2])));
    rows.push_back(row("7 Sep CNY donated 09:00-12:00, share of the day", "assumption", 0,
                       100.0 * static_cast<double>(st.probe_sum) / std::max<double>(1, st.donated_by_day[6]), 2, "%", false));
    rows.back().target = rows.back().generated;
    shape_rows(p, st, rows);
    return rows;
  };
  return p;
}

// GivingTuesday 2019 on Facebook: a first-come-first-served 1:1 match of
// $7,000,000 from 08:00 ET, $100,000 a nonprofit, $20,000 a donor, $2,499 a
// donation; it ran out 14 seconds in.
Profile giving_tuesday() {
  Profile p;
  p.name = "giving-tuesday";
  p.currency = "USD";
  p.utc_offset_minutes = -300;
  p.year = 2019, p.month = 12, p.day = 3;
  p.days = 1;
  p.donations = 1'250'000;
  p.donated = 125'000'000;
  p.projects = 30'000;
  p.categories = {
      {"human-services", "hum", 0.22, 0.20, 1.0, 2}, {"education", "edu", 0.15, 0.15, 1.0, 2},
      {"health", "hlt", 0.14, 0.15, 1.0, 2},         {"animals", "ani", 0.12, 0.12, 1.0, 2},
      {"religion", "rel", 0.10, 0.10, 1.0, 2},       {"international", "int", 0.08, 0.10, 1.0, 2},
      {"environment", "env", 0.07, 0.06, 1.0, 2},    {"arts", "art", 0.12, 0.12, 1.0, 2},
  };
  p.channels = {{"card", 0.7, false}, {"paypal", 0.3, false}};
  for (auto [a, w] : {std::pair{500, 0.05}, {1000, 0.12}, {1500, 0.03}, {2000, 0.12}, {2500, 0.12}, {5000, 0.15},
                      {10000, 0.12}, {15000, 0.02}, {20000, 0.03}, {25000, 0.025}, {50000, 0.02}, {100000, 0.01},
                      {249900, 0.003}})
    p.amounts.atoms.push_back({a, w});
  p.amounts.ranges.push_back({100, 50000, 0.08, 0, 1});
  p.amounts.ranges.push_back({50000, 249900, 0.01, 1.0, 100});
  p.amount_tail = 1;
  p.small_amounts = p.amounts;
  p.big_amount = 50000;
  p.shape.day_weights = {1};
  // US Eastern: a night trough, the working day, the evening.
  p.shape.rhythm = {0.3, 0.2, 0.12, 0.08, 0.08, 0.1, 0.25, 0.5, 0.8, 1.0, 1.1, 1.15, 1.3,
                    1.2, 1.1, 1.05, 1.0, 1.0, 1.1, 1.3, 1.4, 1.3, 1.0, 0.7, 0.4};
  p.shape.surges = {{0, 8.0, 0.04, 30, 0.5}};
  p.slice_ms = 1000;
  p.has_special = true;
  SpecialStream& b = p.special;
  b.label = "08:00 burst";
  b.donations = 15'000;
  b.donated = 12'000'000;
  b.start_hours = 8.0 - 1.0 / 3600;  // from 07:59:59 (a few clocks run early)
  b.duration_hours = 180.0 / 3600;
  b.gamma_k = 1.5;
  b.gamma_theta_hours = 7.0 / 3600;
  b.slice_ms = 10;
  for (auto [a, w] : {std::pair{249900, 0.3}, {100000, 0.1}, {50000, 0.1}, {25000, 0.05}, {10000, 0.15},
                      {5000, 0.1}, {2000, 0.05}})
    b.amounts.atoms.push_back({a, w});
  b.amounts.ranges.push_back({500, 249900, 0.15, 0, 100});
  b.amount_tail = 0;
  b.top_per_category = 25;
  b.top_alpha = 0.8;
  b.donor_pool = 8'000;
  b.donor_offset = 0.05;
  b.from_regular_donors = 0.1;
  b.channels = {{"card", 1.0, false}};
  p.bots = {0, 0, 6, 1.5, 8};
  p.donor_pool = 900'000;
  p.donor_offset = 0.001;
  p.org_per_project = true;
  p.late_share = 0.0005;
  p.probe = {0, 8.0, 8.0 + 14.0 / 3600, 249900};
  p.rules = [](const Profile& p, const RulesContext& ctx) {
    const double s = ctx.scale;
    RulesOut out;
    Json rules = {
        {"campaign", campaign_name("GivingTuesday 2019 match on Facebook", p.name, ctx)},
        {"currency", p.currency},
        {"minor_units", 2},
        {"utc_offset", offset_text(p.utc_offset_minutes)},
        {"seed", ctx.seed},
    };
    out.platform = scaled(7'000'000, s);
    // Scaled like the budget (a nonprofit's donations scale), but never below
    // one full donation's match, so that small scales keep the burst's pace.
    const Minor per_nonprofit = std::max(scaled(100'000, s), Minor{249'900});
    Json pool = {
        {"id", "facebook-match"},
        {"sponsor", "Facebook"},
        {"budget", amount(out.platform)},
        {"match", {{"ratio", "1"}}},
        {"windows", Json::array({{{"start", at(p, 0, "08:00")}, {"end", at(p, 0, "24:00")}}})},
        {"caps",
         {{"per_donation", "2499"},
          {"per_donor", {{"amount", "20000"}}},
          {"per_project", {{"amount", amount(per_nonprofit)}}}}},
    };
    rules["pools"] = Json::array({pool});
    out.json = rules.dump(2) + "\n";
    out.per_project = per_nonprofit;
    return out;
  };
  p.calibrate = [](const Profile& p, const Stats& st, const RulesOut& rules, double s) {
    std::vector<CalibrationRow> rows;
    rows.push_back(row("donations", "assumption", 1'250'000 * s, static_cast<double>(st.rows)));
    rows.push_back(row("donated (USD)", "125,000,000 (2018)", 125'000'000 * s, major(st.donated), 2));
    rows.push_back(row("nonprofits", "assumption", 30'000, static_cast<double>(st.rows_by_project.size())));
    rows.push_back(row("match pool (USD)", "7,000,000", 7'000'000 * s, major(rules.platform), 2));
    rows.push_back(row("match cap per nonprofit (USD)", "100,000", std::max(100'000 * s, 2'499.0), major(rules.per_project), 2));
    rows.push_back(row("donations in the 08:00 burst", "assumption", 15'000 * s, static_cast<double>(st.rows_by_kind[1])));
    rows.push_back(row("USD offered 08:00:00-08:00:14 (each capped at 2,499)", "over 7,000,000 (ran out at 14 s)",
                       7'000'000 * s, major(st.probe_sum), 2, "", false));
    shape_rows(p, st, rows);
    return rows;
  };
  return p;
}

}  // namespace

const Profile* find_profile(std::string_view name) {
  static const Profile profiles[] = {giving_day_2017(), giving_day_2021(), giving_tuesday()};
  for (const Profile& p : profiles)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace matchfund::gen
