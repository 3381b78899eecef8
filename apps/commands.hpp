// The subcommands of `matchfund`; each returns the exit status or throws an Error.
#pragma once

#include <string>
#include <vector>

namespace matchfund {

int simulate_command(const std::vector<std::string>& args);
int lifecycle_command(const std::vector<std::string>& args);
int settle_command(const std::vector<std::string>& args);
int generate_command(const std::vector<std::string>& args);
int serve_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);

}  // namespace matchfund
