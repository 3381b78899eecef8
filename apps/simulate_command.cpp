// `matchfund simulate`: replay a donation stream under campaign rules (SPEC 5).
#include <iostream>

#include "apps/command_line.hpp"
#include "apps/commands.hpp"
#include "engine/file_io.hpp"
#include "engine/mapped_input.hpp"
#include "engine/streamed_simulation.hpp"

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
  MappedInput donations(donations_path);
  AtomicOutput ledger(cli::value(v, "ledger"));
  AtomicOutput summary(cli::value(v, "summary"));
  summary.write(simulate_donations(donations.text(), donations_path, campaign, catalog, ledger,
                                   [&](std::size_t offset) { donations.release_before(offset); })
                    .summary);
  cli::publish_all({&ledger, &summary});
  return 0;
}

}  // namespace matchfund
