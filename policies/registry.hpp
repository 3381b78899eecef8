// Looks policies up by the names the rules file uses.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "policies/policy.hpp"

namespace matchfund {

struct RateEntry {
  std::string_view name;
  std::unique_ptr<Rate> (*parse)(const RuleNode&, const PoolContext&);
};
struct ConditionEntry {
  std::string_view key;
  bool inside_eligible;  // a key of "eligible" rather than of the pool itself
  std::unique_ptr<Condition> (*parse)(const RuleNode&, const PoolContext&);
};
struct CapEntry {
  std::string_view name;
  CapSpec (*parse)(const RuleNode&, const PoolContext&);
};

std::span<const RateEntry> rate_policies();
std::span<const ConditionEntry> condition_policies();
// In the contract's limit order.
std::span<const CapEntry> cap_policies();

}  // namespace matchfund
