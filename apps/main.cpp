// `matchfund`: the command-line entry point. Maps errors to exit statuses.
#include <iostream>
#include <string>
#include <vector>

#include "apps/commands.hpp"
#include "engine/error.hpp"
#include "engine/limits.hpp"
#include "engine/signal_cleanup.hpp"

namespace {

constexpr const char* kUsage =
    "Usage: matchfund COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  simulate   replay a donation stream under campaign rules (ledger + summary)\n"
    "  lifecycle  replay live reserve/confirm/cancel/refund events (event ledger + summary)\n"
    "  settle     divide quadratic-funding and pro-rata pools when a round closes\n"
    "  generate   write a calibrated synthetic workload (donations, projects, rules)\n"
    "  serve      serve the live reservation API over HTTP/JSON (docs/api.md)\n"
    "  sweep      replay a stream under many candidate rules and compare outcomes (docs/simulation.md)\n"
    "  report     an HTML report (charts, sortable comparison table) of a sweep's results\n"
    "\n"
    "Run 'matchfund COMMAND --help' for the options of a command.\n"
    "Exit status: 0 success, 1 usage error, 2 invalid rules, 3 invalid input data, 4 I/O failure.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return 1;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return 0;
  }
  const std::string command = args[0];
  // SIGINT, SIGTERM and the like remove the temporary outputs before they end
  // the process (docs/reliability.md).
  matchfund::install_signal_cleanup();
  args.erase(args.begin());
  try {
    matchfund::set_input_limits(matchfund::limits_from_environment(matchfund::input_limits()));
    if (command == "simulate") return matchfund::simulate_command(args);
    if (command == "lifecycle") return matchfund::lifecycle_command(args);
    if (command == "settle") return matchfund::settle_command(args);
    if (command == "generate") return matchfund::generate_command(args);
    if (command == "serve") return matchfund::serve_command(args);
    if (command == "sweep") return matchfund::sweep_command(args);
    if (command == "report") return matchfund::report_command(args);
    std::cerr << "matchfund: unknown command '" << command << "'\n\n" << kUsage;
    return 1;
  } catch (const matchfund::Error& e) {
    std::cerr << "matchfund " << command << ": " << e.what() << "\n";
    return e.exit_status();
  } catch (const std::bad_alloc&) {
    std::cerr << "matchfund " << command << ": out of memory\n";
    return 4;
  }
}
