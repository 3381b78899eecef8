// Shared readers for the fields caps have in common.
#pragma once

#include "policies/policy.hpp"

namespace matchfund {

// "per": "day" or "campaign" (default campaign).
Period read_period(const RuleNode& cap);

// {"amount": A, "per": P} for a cap of the given scope.
CapSpec read_amount_per(const RuleNode& cap, const PoolContext& pool, Scope scope);

}  // namespace matchfund
