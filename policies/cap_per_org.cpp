// "per_org": {"amount": A, "per": P}: this pool's total grants to the projects of
// one org. Projects with an empty org are not capped by it.
#include "policies/cap_fields.hpp"

namespace matchfund {

CapSpec parse_per_org_cap(const RuleNode& node, const PoolContext& pool) {
  return read_amount_per(node, pool, Scope::org);
}

}  // namespace matchfund
