#include "engine/limits.hpp"

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace matchfund {

namespace detail {
constinit InputLimits current_limits{};
}

void set_input_limits(const InputLimits& limits) { detail::current_limits = limits; }

InputLimits limits_from_environment(const InputLimits& base) {
  InputLimits out = base;
  const std::pair<const char*, std::size_t InputLimits::*> vars[] = {
      {"MATCHFUND_MAX_LINE_BYTES", &InputLimits::max_line_bytes},
      {"MATCHFUND_MAX_ID_BYTES", &InputLimits::max_id_bytes},
      {"MATCHFUND_MAX_RULES_BYTES", &InputLimits::max_rules_bytes},
      {"MATCHFUND_MAX_JSON_DEPTH", &InputLimits::max_json_depth},
      {"MATCHFUND_MAX_POOLS", &InputLimits::max_pools},
      {"MATCHFUND_MAX_PROJECTS", &InputLimits::max_projects},
  };
  for (const auto& [name, field] : vars) {
    const char* text = std::getenv(name);
    if (!text) continue;
    const std::string_view v(text);
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size() || value == 0)
      throw Error(ErrorKind::usage, std::string("the environment variable ") + name + "=" + std::string(v) +
                                        " is not a positive whole number");
    out.*field = value;
  }
  return out;
}

}  // namespace matchfund
