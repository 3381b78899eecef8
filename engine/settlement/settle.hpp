// Dividing a settlement pool at the close of a round (SPEC 7): counted rows,
// aggregation per donor and project, raw scores by mechanism, shares with the
// cap redistributed, and money in minor units that sums exactly.
#pragma once

#include <boost/multiprecision/float128.hpp>
#include <cstdint>
#include <vector>

#include "engine/settlement/contributions.hpp"
#include "engine/settlement/settlement_rules.hpp"

namespace matchfund {

// 113-bit binary floating point: square roots and shares stay within one
// minor unit of the exact result for every budget that fits int64.
using Quad = boost::multiprecision::float128;

struct ProjectResult {
  std::uint32_t project = 0;  // index in contributions.projects
  std::uint64_t donors = 0;   // distinct donors with a counted row
  Quad contributed = 0;
  Quad raw = 0;
  Quad share = 0;
  Minor match = 0;
};

struct PoolResult {
  std::vector<ProjectResult> projects;  // byte order of the project id
  std::uint64_t donors = 0;             // distinct donors with a counted row, over all projects
  Minor matched = 0;
};

PoolResult settle_pool(const SettlementPool& pool, const Contributions& contributions, int minor_units);

// One donor's aggregated, counted contribution to one project.
struct Aggregate {
  std::uint32_t project;
  std::uint32_t donor;
  Quad c;  // c(i,p) in major units
};

// Raw scores r(p) by mechanism over aggregates sorted by (project, donor);
// `raw` is indexed by project index.
void quadratic_raw(const std::vector<Aggregate>& a, bool subtract, std::vector<Quad>& raw);
void cluster_profile_raw(const std::vector<Aggregate>& a, bool subtract, std::vector<Quad>& raw);
// Pairwise picks its working precision from the budget (see mechanisms.cpp).
void pairwise_raw(const std::vector<Aggregate>& a, const Quad& m, std::size_t donors, std::size_t projects,
                  Minor budget, std::vector<Quad>& raw);

// Caps shares at `cap`, redistributing the excess to the shares below it.
void apply_cap(std::vector<Quad>& shares, const Quad& cap);

}  // namespace matchfund
