// "per_donor_count": {"count": K, "per": P}: the number of this pool's grants
// greater than 0 to one donor in the period.
#include "policies/cap_fields.hpp"

namespace matchfund {

CapSpec parse_per_donor_count_cap(const RuleNode& node, const PoolContext&) {
  node.expect_object({"count", "per"});
  if (!node.has("count")) node.fail("per_donor_count needs \"count\"");
  CapSpec spec;
  spec.scope = Scope::donor;
  spec.period = read_period(node);
  spec.counts_grants = true;
  spec.limit = node.child("count").integer(0, kMinorMax);
  return spec;
}

}  // namespace matchfund
