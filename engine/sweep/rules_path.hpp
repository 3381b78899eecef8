// A field of a rules file addressed by a path such as
// pools[platform-day1].caps.per_donor.amount or pools[0].match.random.max:
// keys separated by dots, a pool picked by its id or by its index in brackets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace matchfund::sweep {

struct RulesPath {
  struct Step {
    std::string key;
    bool selects = false;        // key[selector]
    std::string selector;        // an element's "id", or its index when `by_index`
    bool by_index = false;
    std::size_t index = 0;
  };
  std::string text;
  std::vector<Step> steps;
};

// Throws a usage Error naming `text` when it is not a path.
RulesPath parse_rules_path(std::string_view text);

// Sets the field to `value`, typed like the value it replaces (a string stays a
// string, an integer must be an integer, true/false, JSON for an object or an
// array); a field the rules do not have yet is created, as a string unless
// `value` is true, false, or JSON starting with { or [. Throws a usage Error
// naming the path when it leads nowhere or the value does not fit.
void set_rules_field(nlohmann::json& rules, const RulesPath& path, std::string_view value);

}  // namespace matchfund::sweep
