// `matchfund report`: one self-contained HTML page of charts and a sortable
// comparison table from a `matchfund sweep` results folder (docs/simulation.md).
#include <iostream>

#include "apps/command_line.hpp"
#include "apps/commands.hpp"
#include "engine/file_io.hpp"
#include "engine/report/report_page.hpp"

namespace matchfund {

int report_command(const std::vector<std::string>& args) {
  namespace po = cli::po;
  po::options_description options = cli::options_with_help(
      "Usage: matchfund report --in DIR --out REPORT.html\n\n"
      "Reads the results folder DIR written by `matchfund sweep` and writes one self-contained HTML file "
      "(no network access needed): pool depletion curves with releases and run-out moments, matching by "
      "category, Lorenz curves, the effective match ratio distribution, and a sortable scenario comparison "
      "table. A missing or malformed file in DIR is an input error naming it; REPORT.html appears only "
      "when complete.");
  options.add_options()("in", po::value<std::string>(), "the sweep results folder")(
      "out", po::value<std::string>(), "the HTML file to write ('-' for standard output)");
  po::variables_map v;
  if (!cli::parse_options(args, options, v)) {
    std::cout << options << "\n";
    return 0;
  }
  cli::require(v, {"in", "out"});
  const std::string in = cli::value(v, "in");
  const report::ReportInput input = report::read_report_input(in, report::kScenariosRead);
  AtomicOutput out(cli::value(v, "out"));
  out.write(report::render_report(input, in));
  out.finish();
  out.publish();
  return 0;
}

}  // namespace matchfund
