// "per_donation": AMOUNT: this pool's grant to one donation.
#include "policies/policy.hpp"

namespace matchfund {

CapSpec parse_per_donation_cap(const RuleNode& node, const PoolContext& pool) {
  CapSpec spec;
  spec.scope = Scope::donation;
  spec.limit = node.amount(pool.minor_units);
  return spec;
}

}  // namespace matchfund
