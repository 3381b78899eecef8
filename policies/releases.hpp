// "releases": the pool's budget unlocked in tranches over time.
#pragma once

#include <vector>

#include "policies/policy.hpp"

namespace matchfund {

struct Release {
  Micros at;
  Minor amount;
};

// Releases sorted by time; their amounts sum exactly to `budget`.
std::vector<Release> parse_releases(const RuleNode& node, const PoolContext& pool, Minor budget);

// The sum of the release amounts with at <= t.
inline Minor unlocked_at(const std::vector<Release>& sorted, Micros t) {
  Minor sum = 0;
  for (const Release& r : sorted) {
    if (r.at > t) break;
    sum += r.amount;
  }
  return sum;
}

}  // namespace matchfund
