// `matchfund sweep`: one donation stream replayed under many candidate rules.
// The scenarios are every rules file times the cartesian product of the varied
// fields, each repeated under N seeds. The stream is parsed once and shared
// read-only; scenarios run in parallel; each gives exactly what `simulate`
// gives for its rules (its summary.json is byte-identical).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/sweep/rules_path.hpp"

namespace matchfund::sweep {

struct Axis {
  RulesPath path;
  std::vector<std::string> values;
};

struct SweepSpec {
  struct RulesFile {
    std::string label, text;
  };
  std::vector<RulesFile> rules;  // one or more: a "rules" column tells them apart when more
  std::vector<Axis> axes;
  int seeds = 1;                 // > 1: the rules' "seed" is set to 1..seeds in turn
  std::string donations_label;
  std::string_view donations_text;  // the caller keeps it alive while run_sweep runs
  std::function<void(std::size_t offset)> donations_consumed;  // optional: see read_donations
  std::string projects_label, projects_text;
  std::string out_dir;
  unsigned threads = 0;          // 0: every core
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// One row of metrics.csv: which rules file, which values, which seed.
struct ScenarioKey {
  std::size_t rules = 0;
  std::vector<std::string> values;  // one per axis
  int seed = 0;                     // 0: the rules' own seed (seeds == 1)
};

// Every scenario's rules, checked before anything runs: a bad path, value or
// resulting rules is an Error naming the scenario (usage for paths, rules otherwise).
std::vector<std::pair<ScenarioKey, std::string>> expand_scenarios(const SweepSpec& spec);

// Runs the sweep and writes spec.out_dir (docs/simulation.md lists the files);
// nothing appears under that name unless every scenario succeeded.
void run_sweep(const SweepSpec& spec);

// "a,b,c" -> values, where a value in double quotes may hold commas ("1,5").
std::vector<std::string> split_values(const std::string& list);

}  // namespace matchfund::sweep
