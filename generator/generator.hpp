// `matchfund generate`: a calibrated synthetic workload (donations.csv,
// projects.csv, rules.json) for one of the built-in profiles. The donations
// are streamed: memory does not grow with --scale. The same profile, scale and
// seed give the same bytes. See docs/generator.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace matchfund::gen {

struct Options {
  std::string profile;
  double scale = 1;        // > 0, at most kMaxScale: traffic and money, not the catalogue
  std::uint64_t seed = 1;  // 0 to 2^63-1; also the rules' seed
  std::string out_dir;     // created if missing
};

inline constexpr double kMaxScale = 1000;

// One line of the calibration table.
struct CalibrationRow {
  std::string figure;
  std::string published;  // the published figure as text, or "assumption"
  double target = 0;      // what this run aims at (scaled when the figure scales)
  double generated = 0;
  bool compare = true;    // false: informative only, no relative difference
  int decimals = 0;
  std::string unit;       // "", "%", "h", "s"
};

struct Report {
  std::string profile;
  double scale = 1;
  std::uint64_t seed = 0;
  std::uint64_t rows = 0;      // donation rows written
  std::uint64_t projects = 0;  // project rows written
  std::uint64_t bytes = 0;     // size of donations.csv
  double seconds = 0;          // wall time of the whole run
  // Rows held in memory at once: the three stream heads plus the bot bursts in
  // flight (bounded by a fixed capacity, whatever the scale).
  std::size_t peak_buffered_rows = 0;
  // Bytes of the generator's own tables, counters and output buffers; depends
  // on the profile, not on --scale.
  std::size_t state_bytes = 0;
  std::vector<CalibrationRow> calibration;
};

std::vector<std::string> profile_names();
bool is_profile(std::string_view name);

// Writes out_dir/donations.csv, projects.csv and rules.json. Throws a usage
// Error for an unknown profile or a bad scale or seed, an io Error when a file
// cannot be written (nothing is left under the final names then).
Report generate(const Options& options);

// The calibration table as text (figure, published, target, generated, difference).
std::string calibration_table(const Report& report);

}  // namespace matchfund::gen
