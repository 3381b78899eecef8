#include "policies/registry.hpp"

namespace matchfund {

// Declarations of the parsers named in registry.def.
#define MATCHFUND_RATE(name, fn) std::unique_ptr<Rate> fn(const RuleNode&, const PoolContext&);
#define MATCHFUND_POOL_CONDITION(name, fn) std::unique_ptr<Condition> fn(const RuleNode&, const PoolContext&);
#define MATCHFUND_ELIGIBLE_CONDITION(name, fn) std::unique_ptr<Condition> fn(const RuleNode&, const PoolContext&);
#define MATCHFUND_CAP(name, fn) CapSpec fn(const RuleNode&, const PoolContext&);
#include "policies/registry.def"
#undef MATCHFUND_RATE
#undef MATCHFUND_POOL_CONDITION
#undef MATCHFUND_ELIGIBLE_CONDITION
#undef MATCHFUND_CAP

// Each table lists only its own kind; the other macros expand to nothing.
#define MATCHFUND_POOL_CONDITION(name, fn)
#define MATCHFUND_ELIGIBLE_CONDITION(name, fn)
#define MATCHFUND_CAP(name, fn)
#define MATCHFUND_RATE(name, fn) {#name, fn},
static const RateEntry kRates[] = {
#include "policies/registry.def"
};
#undef MATCHFUND_RATE
#define MATCHFUND_RATE(name, fn)
#undef MATCHFUND_POOL_CONDITION
#undef MATCHFUND_ELIGIBLE_CONDITION
#define MATCHFUND_POOL_CONDITION(name, fn) {#name, false, fn},
#define MATCHFUND_ELIGIBLE_CONDITION(name, fn) {#name, true, fn},
static const ConditionEntry kConditions[] = {
#include "policies/registry.def"
};
#undef MATCHFUND_POOL_CONDITION
#undef MATCHFUND_ELIGIBLE_CONDITION
#define MATCHFUND_POOL_CONDITION(name, fn)
#define MATCHFUND_ELIGIBLE_CONDITION(name, fn)
#undef MATCHFUND_CAP
#define MATCHFUND_CAP(name, fn) {#name, fn},
static const CapEntry kCaps[] = {
#include "policies/registry.def"
};

std::span<const RateEntry> rate_policies() { return kRates; }
std::span<const ConditionEntry> condition_policies() { return kConditions; }
std::span<const CapEntry> cap_policies() { return kCaps; }

}  // namespace matchfund
