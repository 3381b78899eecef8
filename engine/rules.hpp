// The campaign rules (SPEC 3, 6, 8), parsed and validated. Every error names
// the JSON path. Policies are parsed through the registry.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/money.hpp"
#include "engine/time.hpp"
#include "policies/policy.hpp"
#include "policies/releases.hpp"

namespace matchfund {

struct PoolRules {
  std::string id;
  std::string sponsor;
  Minor budget = 0;
  std::int64_t priority = 0;
  bool stack = true;
  std::unique_ptr<Rate> rate;
  std::vector<std::unique_ptr<Condition>> conditions;
  std::vector<std::string_view> condition_keys;  // the rules key of each condition, for explanations
  // Caps in the contract's limit order, each with its registry name.
  struct Cap {
    std::string_view name;
    CapSpec spec;
  };
  std::vector<Cap> caps;
  std::optional<std::vector<Release>> releases;  // sorted by time
};

struct Campaign {
  std::string name;
  std::string currency;
  int minor_units = 2;
  Micros utc_offset = 0;
  std::uint64_t seed = 0;
  std::optional<Ratio> max_total_ratio;
  std::int64_t reservation_ttl_seconds = 900;
  std::int64_t reservation_max_seconds = 1800;
  std::vector<PoolRules> pools;  // in rules file order
};

// Parses and validates allocation rules (pools with "match"); `file` names it
// in errors (rules Error, exit 2).
Campaign parse_campaign(std::string_view text, const std::string& file);

// Shared with settlement rules: campaign, currency, minor_units, utc_offset,
// seed and max_total_ratio of the top level.
void parse_campaign_fields(const RuleNode& root, Campaign& campaign);
// True when some pool of the rules carries "settle".
bool has_settlement_pool(const RuleNode& root);

// A pool's "id" ([A-Za-z0-9_.-]+, not used by an earlier pool) and "budget" (> 0).
std::string read_pool_id(const RuleNode& pool, std::set<std::string>& ids_so_far);
Minor read_pool_budget(const RuleNode& pool, int minor_units);

// Parses the non-empty "pools" array with `parse_one(node, ids_so_far)` and
// checks that the budgets sum to a count of minor units that fits int64.
template <class Pool, class ParseOne>
std::vector<Pool> read_pools(const RuleNode& root, ParseOne parse_one) {
  if (!root.has("pools")) root.fail("the rules need \"pools\"");
  RuleNode pools = root.child("pools");
  const std::size_t n = pools.expect_array();
  if (n == 0) pools.fail("pools must not be empty");
  std::set<std::string> ids;
  std::vector<Pool> out;
  Wide budgets = 0;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(parse_one(pools.at(i), ids));
    budgets += out.back().budget;
  }
  if (budgets > kMinorMax) pools.fail("the budgets sum to more than a signed 64-bit count of minor units");
  return out;
}

}  // namespace matchfund
