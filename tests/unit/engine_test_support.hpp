// Shared by the embedding API tests: a small campaign and a printable state.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "engine/engine.hpp"

namespace matchfund::test_support {

// "main": 100.00 at 1:1, at most 30.00 per donor; "kids": 50.00 at 0.5:1 for
// project "school", tried second.
inline constexpr const char* kTwoPoolRules = R"({
  "reservation_ttl_seconds": 600,
  "reservation_max_seconds": 1200,
  "pools": [
    {"id": "main", "budget": "100", "match": {"ratio": "1"}, "caps": {"per_donor": {"amount": "30"}}},
    {"id": "kids", "budget": "50", "match": {"ratio": "0.5"}, "priority": 1,
     "eligible": {"projects": ["school"]}}
  ]
})";

// Every pool's totals, the clock, and the totals of these donors and projects, as text.
inline std::string state_of(const Engine& engine, std::initializer_list<std::string_view> donors,
                            std::initializer_list<std::string_view> projects) {
  std::string s = "clock " + std::to_string(engine.clock()) + "\n";
  for (const PoolTotals& t : engine.pool_totals())
    s += std::string(t.pool) + " budget " + std::to_string(t.budget) + " held " + std::to_string(t.held) +
         " confirmed " + std::to_string(t.confirmed) + " released " + std::to_string(t.released) + "\n";
  for (std::string_view d : donors) {
    MatchTotals m = engine.donor_totals(d);
    s += "donor " + std::string(d) + " " + std::to_string(m.held) + " " + std::to_string(m.confirmed) + "\n";
  }
  for (std::string_view p : projects) {
    MatchTotals m = engine.project_totals(p);
    s += "project " + std::string(p) + " " + std::to_string(m.held) + " " + std::to_string(m.confirmed) + "\n";
  }
  return s;
}

}  // namespace matchfund::test_support
