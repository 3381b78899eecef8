#include "engine/report/report_input.hpp"

#include <cmath>
#include <utility>

#include "engine/error.hpp"

namespace matchfund::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

[[noreturn]] void malformed(const fs::path& file, const std::string& what) {
  throw Error(ErrorKind::input, file.string() + ": " + what);
}

Micros instant_of(const json& text, const fs::path& file, const std::string& where) {
  const auto parsed = text.is_string() ? parse_instant(text.get<std::string>()) : std::nullopt;
  if (!parsed) malformed(file, where + ": not an RFC 3339 time");
  return parsed->utc;
}

void read_depletion(const fs::path& dir, ScenarioView& view) {
  const CsvTable t = read_results_csv(dir / "depletion.csv");
  if (t.header.empty() || t.header[0] != "time") malformed(t.label, "the first column must be 'time'");
  for (std::size_t c = 1; c < t.header.size(); ++c) view.pools.push_back({t.header[c], {}, 0, {}, {}});
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    view.bin_end.push_back(instant_of(t.rows[r][0], t.label, "line " + std::to_string(t.lines[r])));
    for (std::size_t c = 1; c < t.header.size(); ++c) view.pools[c - 1].cumulative.push_back(t.number(r, c));
  }
  if (view.bin_end.size() < 2) malformed(t.label, "fewer than two time bins");
}

PoolTimeline* pool_named(ScenarioView& view, const json& id) {
  for (PoolTimeline& p : view.pools)
    if (id.is_string() && p.id == id.get<std::string>()) return &p;
  return nullptr;
}

void read_pool_events(const fs::path& dir, ScenarioView& view) {
  const fs::path rules_path = dir / "rules.json", summary_path = dir / "summary.json";
  const json rules = read_results_json(rules_path), summary = read_results_json(summary_path);
  if (!rules.is_object() || !rules.contains("pools") || !rules["pools"].is_array()) malformed(rules_path, "no pools array");
  const json offset_text = rules.value("utc_offset", json("+00:00"));
  const auto offset = offset_text.is_string() ? parse_utc_offset(offset_text.get<std::string>()) : std::nullopt;
  if (!offset) malformed(rules_path, "utc_offset is not +HH:MM or -HH:MM");
  const auto minutes = static_cast<std::int16_t>(*offset / (60 * kMicrosPerSecond));
  view.local_time = TimeStyle{minutes, 0, static_cast<std::uint8_t>(minutes < 0 ? 2 : 1)};
  for (std::size_t i = 0; i < rules["pools"].size(); ++i) {
    const json& pool = rules["pools"][i];
    PoolTimeline* timeline = pool.is_object() && pool.contains("id") ? pool_named(view, pool["id"]) : nullptr;
    if (!timeline) malformed(rules_path, "pools[" + std::to_string(i) + "] is not a pool of depletion.csv");
    if (!pool.contains("releases")) continue;
    if (!pool["releases"].is_array()) malformed(rules_path, "pools[" + std::to_string(i) + "].releases is not an array");
    for (std::size_t k = 0; k < pool["releases"].size(); ++k) {
      const std::string where = "pools[" + std::to_string(i) + "].releases[" + std::to_string(k) + "].at";
      const json& release = pool["releases"][k];
      timeline->releases.push_back(instant_of(release.is_object() ? release.value("at", json()) : json(), rules_path, where));
    }
  }
  if (!summary.is_object() || !summary.contains("pools") || !summary["pools"].is_array()) malformed(summary_path, "no pools array");
  for (std::size_t i = 0; i < summary["pools"].size(); ++i) {
    const json& pool = summary["pools"][i];
    const std::string where = "pools[" + std::to_string(i) + "]";
    PoolTimeline* timeline = pool.is_object() && pool.contains("id") ? pool_named(view, pool["id"]) : nullptr;
    if (!timeline) malformed(summary_path, where + " is not a pool of depletion.csv");
    const json budget = pool.value("budget", json());
    timeline->budget = budget.is_string() ? parse_number(budget.get<std::string>()) : std::nan("");
    if (std::isnan(timeline->budget)) malformed(summary_path, where + ".budget is not an amount");
    const json exhausted = pool.value("exhausted_at", json());
    if (!exhausted.is_null()) timeline->ran_out = instant_of(exhausted, summary_path, where + ".exhausted_at");
  }
}

void read_distributions(const fs::path& dir, ScenarioView& view) {
  const CsvTable lorenz = read_results_csv(dir / "lorenz.csv");
  const std::size_t share = lorenz.column("population_share"), projects = lorenz.column("projects"),
                    orgs = lorenz.column("orgs");
  for (std::size_t r = 0; r < lorenz.rows.size(); ++r) {
    view.population_share.push_back(lorenz.number(r, share));
    view.lorenz_projects.push_back(lorenz.number(r, projects));
    view.lorenz_orgs.push_back(lorenz.number(r, orgs));
  }
  const CsvTable projects_table = read_results_csv(dir / "projects.csv");
  const std::size_t ratio = projects_table.column("ratio");
  for (std::size_t r = 0; r < projects_table.rows.size(); ++r) {
    const double v = projects_table.number(r, ratio, true);
    if (!std::isnan(v)) view.ratios.push_back(v);
  }
  const CsvTable categories = read_results_csv(dir / "categories.csv");
  const std::size_t category = categories.column("category"), matched = categories.column("matched");
  for (std::size_t r = 0; r < categories.rows.size(); ++r)
    view.categories.emplace_back(categories.rows[r][category], categories.number(r, matched));
}

std::string scenario_name(const json& row, bool several_rules) {
  std::string name = "#" + std::to_string(row["scenario"].get<std::size_t>());
  if (several_rules) name += " " + row["rules"].get<std::string>();
  for (const auto& [path, value] : row["values"].items())
    name += " " + path + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  return name;
}

}  // namespace

ReportInput read_report_input(const fs::path& dir, std::size_t max_scenarios) {
  const fs::path index_path = dir / "sweep.json";
  const json index = read_results_json(index_path);
  ReportInput in;
  std::vector<json> first_rows;  // the first seed's row of each scenario
  bool several_rules = false;
  try {
    in.seeds = index.at("seeds").get<int>();
    several_rules = index.at("rules").size() > 1;
    in.key_columns = 1 + (several_rules ? 1 : 0) + index.at("axes").size() + (in.seeds > 1 ? 0 : 1);
    for (const json& row : index.at("rows")) {
      const std::size_t scenario = row.at("scenario").get<std::size_t>();
      if (!row.at("dir").is_string() || !row.at("values").is_object() || !row.at("rules").is_string())
        malformed(index_path, "rows[" + std::to_string(row.value("n", 0)) + "]: dir, values or rules missing");
      if (scenario == in.scenario_count) {
        first_rows.push_back(row);
        ++in.scenario_count;
      }
    }
    for (std::size_t s = 0; s < first_rows.size() && s < max_scenarios; ++s) {
      ScenarioView view;
      view.name = scenario_name(first_rows[s], several_rules);
      in.scenarios.push_back(std::move(view));
    }
  } catch (const json::exception& e) {
    malformed(index_path, std::string("unexpected layout (") + e.what() + ")");
  }
  if (in.seeds < 1 || in.scenario_count == 0) malformed(index_path, "no scenarios");
  for (std::size_t s = 0; s < in.scenarios.size(); ++s) {
    const fs::path scenario_dir = dir / first_rows[s]["dir"].get<std::string>();
    read_depletion(scenario_dir, in.scenarios[s]);
    read_pool_events(scenario_dir, in.scenarios[s]);
    read_distributions(scenario_dir, in.scenarios[s]);
  }
  in.banded = in.seeds > 1;
  in.table = read_results_csv(dir / (in.banded ? "metrics_bands.csv" : "metrics.csv"));
  if (in.table.header.size() < in.key_columns) malformed(in.table.label, "fewer columns than sweep.json's axes");
  return in;
}

}  // namespace matchfund::report
