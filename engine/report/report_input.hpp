// What the report draws, read from a sweep results folder (docs/simulation.md):
// sweep.json, the comparison table, and the per-scenario files of the first
// seed of the first few scenarios.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/report/results_files.hpp"
#include "engine/time.hpp"

namespace matchfund::report {

struct PoolTimeline {
  std::string id;
  std::vector<double> cumulative;  // matching granted by the end of each depletion bin
  double budget = 0;
  std::optional<Micros> ran_out;   // the summary's exhausted_at
  std::vector<Micros> releases;    // the rules' releases[].at
};

struct ScenarioView {
  std::string name;               // "#0 pools[a].caps.per_donor.amount=99"
  std::vector<Micros> bin_end;    // depletion.csv times
  TimeStyle local_time;           // the rules' utc_offset, for printing times
  std::vector<PoolTimeline> pools;
  std::vector<double> population_share, lorenz_projects, lorenz_orgs;
  std::vector<double> ratios;     // effective match ratio of each project with donations
  std::vector<std::pair<std::string, double>> categories;  // category, matched
};

struct ReportInput {
  std::size_t scenario_count = 0;
  int seeds = 1;
  std::vector<ScenarioView> scenarios;  // first seed of the first max_scenarios scenarios
  CsvTable table;                       // metrics_bands.csv when seeds > 1, else metrics.csv
  std::size_t key_columns = 0;          // leading table columns naming the scenario (and seed)
  bool banded = false;                  // table columns come as <metric>:mean, :p5, :p95
};

// Throws an input Error naming the file that is missing or malformed.
ReportInput read_report_input(const std::filesystem::path& dir, std::size_t max_scenarios);

}  // namespace matchfund::report
