#include "policies/cap_fields.hpp"

namespace matchfund {

Period read_period(const RuleNode& cap) {
  if (!cap.has("per")) return Period::campaign;
  RuleNode per = cap.child("per");
  std::string_view v = per.string();
  if (v == "day") return Period::day;
  if (v == "campaign") return Period::campaign;
  per.fail("expected \"day\" or \"campaign\"");
}

CapSpec read_amount_per(const RuleNode& cap, const PoolContext& pool, Scope scope) {
  cap.expect_object({"amount", "per"});
  if (!cap.has("amount")) cap.fail("this cap needs \"amount\"");
  CapSpec spec;
  spec.scope = scope;
  spec.period = read_period(cap);
  spec.limit = cap.child("amount").amount(pool.minor_units);
  return spec;
}

}  // namespace matchfund
