// `matchfund lifecycle`: replay live reserve / extend / confirm / cancel /
// refund events (SPEC 6) and write the event ledger and summary.
#include <iostream>

#include "apps/command_line.hpp"
#include "apps/commands.hpp"
#include "engine/error.hpp"
#include "engine/file_io.hpp"
#include "engine/ingest.hpp"
#include "engine/lifecycle_run.hpp"
#include "engine/rules.hpp"

namespace matchfund {

int lifecycle_command(const std::vector<std::string>& args) {
  namespace po = cli::po;
  po::options_description options = cli::options_with_help(
      "Usage: matchfund lifecycle --rules R.json --events E.csv [--projects P.csv] --ledger L.csv "
      "--summary S.json\n\nApplies live events in file order: reserve holds a match, confirm makes it final, "
      "cancel, expiry (on the clock) and refund release it. Writes the event ledger and the summary. '-' reads "
      "standard input or writes standard output. Nothing is written unless the whole run succeeds.");
  options.add_options()("rules", po::value<std::string>(), "campaign rules (JSON)")(
      "events", po::value<std::string>(), "events (CSV: op,time,id,donor,project,amount[,channel])")(
      "projects", po::value<std::string>(), "project categories and orgs (CSV)")(
      "ledger", po::value<std::string>(), "where to write the event ledger (CSV)")(
      "summary", po::value<std::string>(), "where to write the summary (JSON)");
  po::variables_map v;
  if (!cli::parse_options(args, options, v)) {
    std::cout << options << "\n";
    return 0;
  }
  cli::require(v, {"rules", "events", "ledger", "summary"});
  cli::at_most_one_dash(v, {"rules", "events", "projects"}, "input");
  cli::at_most_one_dash(v, {"ledger", "summary"}, "output");

  // The texts are read once (either may be standard input): checked here, so
  // that their errors carry their own exit status, then handed to the engine.
  Options engine_options;
  engine_options.rules_label = cli::value(v, "rules");
  engine_options.rules_json = read_rules_file(engine_options.rules_label);
  const Campaign campaign = parse_campaign(engine_options.rules_json, engine_options.rules_label);
  Catalog names;
  if (v.count("projects")) {
    engine_options.projects_label = cli::value(v, "projects");
    engine_options.projects_csv = read_csv_file(engine_options.projects_label);
    read_projects(engine_options.projects_csv, engine_options.projects_label, names);
  }
  const std::string events_path = cli::value(v, "events");
  EventStream events;
  {
    std::string text = read_csv_file(events_path);
    events = read_events(text, events_path, campaign.minor_units, names);
  }

  AtomicOutput ledger(cli::value(v, "ledger"));
  AtomicOutput summary(cli::value(v, "summary"));
  ledger.write(kEventLedgerHeader);
  const LifecycleRun run =
      run_lifecycle(std::move(engine_options), events, names, ledger.buffer(), [&] { ledger.maybe_flush(); });
  summary.write(lifecycle_summary_json(campaign, run));
  cli::publish_all({&ledger, &summary});
  return 0;
}

}  // namespace matchfund
