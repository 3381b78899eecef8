// `matchfund simulate`: replay a donation stream under campaign rules (SPEC 5).
#include <iostream>

#include "apps/command_line.hpp"
#include "apps/commands.hpp"
#include "engine/file_io.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/mapped_input.hpp"
#include "engine/simulation.hpp"

namespace matchfund {

int simulate_command(const std::vector<std::string>& args) {
  namespace po = cli::po;
  po::options_description options = cli::options_with_help(
      "Usage: matchfund simulate --rules R.json --donations D.csv [--projects P.csv] --ledger L.csv "
      "--summary S.json\n\nAllocates every donation first come, first served under the rules and writes the "
      "ledger (one row per donation and eligible pool) and the summary. '-' reads standard input or writes "
      "standard output. Nothing is written unless the whole run succeeds.");
  options.add_options()("rules", po::value<std::string>(), "campaign rules (JSON)")(
      "donations", po::value<std::string>(), "donation stream (CSV), in arrival order")(
      "projects", po::value<std::string>(), "project categories and orgs (CSV)")(
      "ledger", po::value<std::string>(), "where to write the ledger (CSV)")(
      "summary", po::value<std::string>(), "where to write the summary (JSON)");
  po::variables_map v;
  if (!cli::parse_options(args, options, v)) {
    std::cout << options << "\n";
    return 0;
  }
  cli::require(v, {"rules", "donations", "ledger", "summary"});
  cli::at_most_one_dash(v, {"rules", "donations", "projects"}, "input");
  cli::at_most_one_dash(v, {"ledger", "summary"}, "output");

  Campaign campaign = cli::load_campaign(v);
  Catalog catalog;
  cli::load_projects(v, catalog);
  const std::string donations_path = cli::value(v, "donations");
  DonationStream stream;
  {
    MappedInput donations(donations_path);
    stream = read_donations(donations.text(), donations_path, campaign.minor_units, catalog,
                            [&](std::size_t offset) { donations.release_before(offset); });
  }

  Plan plan(campaign, catalog);
  Allocator allocator(plan, catalog);
  AtomicOutput ledger(cli::value(v, "ledger"));
  AtomicOutput summary(cli::value(v, "summary"));
  CsvLedgerSink sink(ledger, stream, plan);
  run_allocation(allocator, stream, sink);
  summary.write(summary_json(plan, stream, allocator));
  cli::publish_all({&ledger, &summary});
  return 0;
}

}  // namespace matchfund
