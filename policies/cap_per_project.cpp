// "per_project": {"amount": A, "per": P, "overrides": {"project": A, ...}}: this
// pool's total grants to one project; overrides replace the amount for the
// projects they name, and without "amount" only those projects are capped.
#include "policies/cap_fields.hpp"

namespace matchfund {

CapSpec parse_per_project_cap(const RuleNode& node, const PoolContext& pool) {
  node.expect_object({"amount", "per", "overrides"});
  if (!node.has("amount") && !node.has("overrides")) node.fail("per_project needs \"amount\" or \"overrides\"");
  CapSpec spec;
  spec.scope = Scope::project;
  spec.period = read_period(node);
  if (node.has("amount")) spec.limit = node.child("amount").amount(pool.minor_units);
  if (node.has("overrides")) {
    RuleNode overrides = node.child("overrides");
    overrides.expect_object();
    for (const auto& item : overrides.json().items()) {
      RuleNode value = overrides.child(item.key());
      if (item.key().empty()) value.fail("an override needs a non-empty project id");
      spec.project_overrides.emplace_back(item.key(), value.amount(pool.minor_units));
    }
  }
  return spec;
}

}  // namespace matchfund
