// Input limits (docs/reliability.md): the sizes past which an input is refused
// with an Error that names the place, instead of exhausting memory. One
// process-wide set, read by the parsers; the defaults are far above any real
// campaign (99 Giving Day 2017: 6,466 projects, rows of about 70 bytes).
#pragma once

#include <cstddef>

namespace matchfund {

struct InputLimits {
  // A physical line of a CSV file, checked while the file is read (so a huge
  // line without a line break is refused after reading about this much), and
  // a CSV record, which may span lines inside quotes.
  std::size_t max_line_bytes = std::size_t{1} << 20;  // 1 MiB
  // An id or name field: donation id, donor, project, channel, category, org,
  // contribution donor and project.
  std::size_t max_id_bytes = 1024;
  // The rules file (allocation or settlement rules) as a whole.
  std::size_t max_rules_bytes = std::size_t{16} << 20;  // 16 MiB
  // Nesting of JSON arrays and objects in the rules (real rules nest 5 deep).
  std::size_t max_json_depth = 64;
  // Entries of the rules' "pools" array.
  std::size_t max_pools = 1000;
  // Distinct projects of a run: the projects file and the donations or events.
  std::size_t max_projects = 1'000'000;
};

namespace detail {
extern InputLimits current_limits;  // constant-initialized: usable from any static constructor
}

// The limits in force; InputLimits{} until set_input_limits is called.
inline const InputLimits& input_limits() { return detail::current_limits; }
// The limits `base` with the overrides of the environment applied:
// MATCHFUND_MAX_LINE_BYTES, MATCHFUND_MAX_ID_BYTES, MATCHFUND_MAX_RULES_BYTES,
// MATCHFUND_MAX_JSON_DEPTH, MATCHFUND_MAX_POOLS, MATCHFUND_MAX_PROJECTS, each a
// positive decimal integer. Throws a usage Error naming the variable otherwise.
InputLimits limits_from_environment(const InputLimits& base);

// Replaces the limits for the whole process (tests, the command line). Not
// thread-safe: call it before any parsing starts.
void set_input_limits(const InputLimits& limits);

}  // namespace matchfund
