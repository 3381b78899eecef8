// `matchfund sweep`: replay one donation stream under many candidate rules
// and compare the outcomes (docs/simulation.md).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "apps/command_line.hpp"
#include "apps/commands.hpp"
#include "engine/error.hpp"
#include "engine/file_io.hpp"
#include "engine/mapped_input.hpp"
#include "engine/sweep/sweep.hpp"

namespace matchfund {

int sweep_command(const std::vector<std::string>& args) {
  namespace po = cli::po;
  po::options_description options = cli::options_with_help(
      "Usage: matchfund sweep --rules BASE.json [--rules OTHER.json ...] --donations D.csv [--projects P.csv] "
      "[--vary PATH=V1,V2,... ...] [--seeds N] [--threads N] --out DIR\n\n"
      "Runs every scenario (each rules file times every combination of the varied values, each under N seeds) "
      "over the same stream, in parallel, and writes DIR/metrics.csv (one row per scenario and seed), "
      "DIR/metrics_bands.csv (mean and 5-95% band across seeds), DIR/sweep.json and DIR/scenarios/<n>/ "
      "(rules, summary, depletion curves, Lorenz curves, per-project ratios). PATH names a rules field: "
      "pools[ID or INDEX].caps.per_donor.amount, pools[0].match.random.max, max_total_ratio ... A value in "
      "double quotes may hold commas. DIR must not exist or be empty; it appears only when every scenario ran.");
  options.add_options()("rules", po::value<std::vector<std::string>>(), "campaign rules (JSON); repeat to compare files")(
      "donations", po::value<std::string>(), "donation stream (CSV)")(
      "projects", po::value<std::string>(), "project categories and orgs (CSV)")(
      "vary", po::value<std::vector<std::string>>(), "PATH=V1,V2,...: a field and the values it takes")(
      "seeds", po::value<int>()->default_value(1), "run every scenario under seeds 1..N (random ratios)")(
      "threads", po::value<unsigned>()->default_value(0), "scenarios at once (0: every core)")(
      "out", po::value<std::string>(), "the results folder");
  po::variables_map v;
  if (!cli::parse_options(args, options, v)) {
    std::cout << options << "\n";
    return 0;
  }
  cli::require(v, {"rules", "donations", "out"});
  sweep::SweepSpec spec;
  for (const std::string& path : v["rules"].as<std::vector<std::string>>())
    spec.rules.push_back({path, read_rules_file(path)});
  if (v.count("vary"))
    for (const std::string& vary : v["vary"].as<std::vector<std::string>>()) {
      const auto eq = vary.find('=');
      if (eq == std::string::npos || eq + 1 == vary.size())
        throw Error(ErrorKind::usage, "--vary " + vary + ": expected PATH=V1,V2,...");
      spec.axes.push_back({sweep::parse_rules_path(vary.substr(0, eq)), sweep::split_values(vary.substr(eq + 1))});
    }
  spec.seeds = v["seeds"].as<int>();
  if (spec.seeds < 1) throw Error(ErrorKind::usage, "--seeds must be at least 1");
  spec.threads = v["threads"].as<unsigned>();
  spec.donations_label = cli::value(v, "donations");
  spec.projects_label = cli::value(v, "projects");
  spec.out_dir = cli::value(v, "out");
  // Every scenario is checked before the (long) stream is read.
  sweep::expand_scenarios(spec);
  MappedInput donations(spec.donations_label);
  spec.donations_text = donations.text();
  spec.donations_consumed = [&](std::size_t offset) { donations.release_before(offset); };
  if (!spec.projects_label.empty()) spec.projects_text = read_csv_file(spec.projects_label);
  if (isatty(2))
    spec.progress = [](std::size_t done, std::size_t total) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(kWidth * done / total);
      std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu scenarios", filled, "##############################", kWidth - filled,
                   "", done, total);
      if (done == total) std::fputc('\n', stderr);
      std::fflush(stderr);
    };
  sweep::run_sweep(spec);
  return 0;
}

}  // namespace matchfund
