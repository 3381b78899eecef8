// `matchfund generate`: write a calibrated synthetic workload (donations.csv,
// projects.csv, rules.json) for a built-in profile, and print its calibration
// table. See docs/generator.md.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "apps/command_line.hpp"
#include "apps/commands.hpp"
#include "engine/error.hpp"
#include "generator/generator.hpp"

namespace matchfund {
namespace {

double parse_scale(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value) || value <= 0 || value > gen::kMaxScale)
    throw Error(ErrorKind::usage, "--scale: expected a number greater than 0 and at most 1000, such as 0.01, found '" +
                                      text + "'");
  return value;
}

std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value > 9223372036854775807ull)
    throw Error(ErrorKind::usage, "--seed: expected an integer from 0 to 9223372036854775807, found '" + text + "'");
  return value;
}

}  // namespace

int generate_command(const std::vector<std::string>& args) {
  namespace po = cli::po;
  std::string profiles;
  for (const auto& name : gen::profile_names()) profiles += "  " + name + "\n";
  po::options_description options(
      "Usage: matchfund generate --profile NAME [--scale S] [--seed N] --out DIR\n\nWrites DIR/donations.csv, "
      "DIR/projects.csv and DIR/rules.json: a synthetic workload calibrated to a published event, streamed in "
      "arrival order (memory does not grow with the scale), and prints the calibration table (each published "
      "figure beside the generated one). The same profile, scale and seed give the same bytes. DIR is created if "
      "missing; nothing is left under the final names unless the whole run succeeds.\n\nProfiles:\n" +
      profiles +
      "\nExit status: 0 success, 1 usage error (an unknown profile, a bad scale or seed), 4 I/O failure.\n\nOptions");
  options.add_options()("help", "print this help")("profile", po::value<std::string>(), "the event to model")(
      "scale", po::value<std::string>(), "fraction of the event's traffic and money, > 0 and <= 1000 (default 1)")(
      "seed", po::value<std::string>(), "random seed, 0 to 2^63-1 (default 1); also the rules' seed")(
      "out", po::value<std::string>(), "the directory to write into");
  po::variables_map v;
  if (!cli::parse_options(args, options, v)) {
    std::cout << options << "\n";
    return 0;
  }
  cli::require(v, {"profile", "out"});
  gen::Options o;
  o.profile = cli::value(v, "profile");
  if (!gen::is_profile(o.profile))
    throw Error(ErrorKind::usage, "--profile: unknown profile '" + o.profile + "'; the profiles are:\n" + profiles);
  if (v.count("scale")) o.scale = parse_scale(cli::value(v, "scale"));
  if (v.count("seed")) o.seed = parse_seed(cli::value(v, "seed"));
  o.out_dir = cli::value(v, "out");
  const gen::Report report = gen::generate(o);
  std::cout << gen::calibration_table(report);
  std::printf("wrote %llu donations (%.1f MB) and %llu projects to %s in %.2f s: %.0f rows/s; at most %zu rows "
              "held at once, %.1f MiB of generator state\n",
              static_cast<unsigned long long>(report.rows), static_cast<double>(report.bytes) / 1e6,
              static_cast<unsigned long long>(report.projects), o.out_dir.c_str(), report.seconds,
              report.seconds > 0 ? static_cast<double>(report.rows) / report.seconds : 0.0, report.peak_buffered_rows,
              static_cast<double>(report.state_bytes) / (1 << 20));
  std::fflush(stdout);
  return 0;
}

}  // namespace matchfund
