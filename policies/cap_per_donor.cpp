// "per_donor": {"amount": A, "per": P}: this pool's total grants to one donor.
#include "policies/cap_fields.hpp"

namespace matchfund {

CapSpec parse_per_donor_cap(const RuleNode& node, const PoolContext& pool) {
  return read_amount_per(node, pool, Scope::donor);
}

}  // namespace matchfund
