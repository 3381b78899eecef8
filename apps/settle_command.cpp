// `matchfund settle`: divide settlement pools when a round closes (SPEC 7).
#include <iostream>
#include <set>

#include "apps/command_line.hpp"
#include "apps/commands.hpp"
#include "engine/error.hpp"
#include "engine/file_io.hpp"
#include "engine/settlement/settlement_report.hpp"

namespace matchfund {
namespace {

// --map NAME=COLUMN values to a column map; every fault is a usage error.
ColumnMap column_map(const std::vector<std::string>& maps) {
  static const std::set<std::string> kNames = {"donor", "project", "amount", "weight", "id", "time"};
  ColumnMap map;
  std::set<std::string> columns;
  for (const std::string& m : maps) {
    auto eq = m.find('=');
    if (eq == std::string::npos) throw Error(ErrorKind::usage, "--map " + m + ": expected NAME=COLUMN");
    std::string name = m.substr(0, eq), column = m.substr(eq + 1);
    if (!kNames.count(name))
      throw Error(ErrorKind::usage, "--map " + m + ": NAME must be donor, project, amount, weight, id or time");
    if (column.empty()) throw Error(ErrorKind::usage, "--map " + m + ": the COLUMN is empty");
    if (map.count(name)) throw Error(ErrorKind::usage, "--map " + m + ": " + name + " is mapped twice");
    if (!columns.insert(column).second)
      throw Error(ErrorKind::usage, "--map " + m + ": column " + column + " is mapped to two names");
    map[name] = column;
  }
  return map;
}

}  // namespace

int settle_command(const std::vector<std::string>& args) {
  namespace po = cli::po;
  po::options_description options = cli::options_with_help(
      "Usage: matchfund settle --rules R.json --contributions C.csv [--map NAME=COLUMN ...] --out results.csv "
      "[--summary S.json]\n\nDivides each settlement pool (quadratic, cluster_profile, pairwise, pro_rata) over "
      "all contributions and writes one row per pool and project. '-' reads standard input or writes standard "
      "output. Nothing is written unless the whole run succeeds.");
  options.add_options()("rules", po::value<std::string>(), "settlement rules (JSON)")(
      "contributions", po::value<std::string>(), "contributions (CSV: donor, project, amount[, weight])")(
      "map", po::value<std::vector<std::string>>()->composing(),
      "read field NAME (donor, project, amount, weight, id, time) from header COLUMN; repeatable")(
      "out", po::value<std::string>(), "where to write the results (CSV)")(
      "summary", po::value<std::string>(), "where to write the summary (JSON)");
  po::variables_map v;
  if (!cli::parse_options(args, options, v)) {
    std::cout << options << "\n";
    return 0;
  }
  cli::require(v, {"rules", "contributions", "out"});
  cli::at_most_one_dash(v, {"rules", "contributions"}, "input");
  cli::at_most_one_dash(v, {"out", "summary"}, "output");
  const ColumnMap map = column_map(v.count("map") ? v["map"].as<std::vector<std::string>>() : std::vector<std::string>{});

  const std::string rules_path = cli::value(v, "rules");
  SettlementRules rules = parse_settlement_rules(read_rules_file(rules_path), rules_path);
  const std::string contributions_path = cli::value(v, "contributions");
  Contributions contributions;
  {
    std::string text = read_csv_file(contributions_path);
    contributions = read_contributions(text, contributions_path, map);
  }
  std::vector<PoolResult> results;
  for (const SettlementPool& pool : rules.pools)
    results.push_back(settle_pool(pool, contributions, rules.campaign.minor_units));

  AtomicOutput out(cli::value(v, "out"));
  out.write(settlement_csv(rules, results, contributions));
  std::unique_ptr<AtomicOutput> summary;
  if (v.count("summary")) {
    summary = std::make_unique<AtomicOutput>(cli::value(v, "summary"));
    summary->write(settlement_summary_json(rules, results, contributions));
  }
  cli::publish_all({&out, summary.get()});
  return 0;
}

}  // namespace matchfund
