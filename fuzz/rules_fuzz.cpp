// Fuzzes the allocation rules parser (SPEC 3, 8): JSON text to a Campaign, or
// a rules Error naming the JSON path. A campaign that parses is also compiled
// into a Plan, which must not fail.
#include "engine/plan.hpp"
#include "engine/rules.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace matchfund;
  Campaign campaign;
  if (!fuzz::errors_only([&] { campaign = parse_campaign(fuzz::as_text(data, size), "rules.json"); })) return 0;
  if (campaign.pools.empty()) fuzz::violated("a campaign without pools was accepted");
  Wide budgets = 0;
  for (const PoolRules& p : campaign.pools) {
    if (p.budget <= 0) fuzz::violated("a budget <= 0 was accepted");
    budgets += p.budget;
  }
  if (budgets > kMinorMax) fuzz::violated("budgets that overflow int64 were accepted");
  Catalog catalog;
  catalog.project("p");
  Plan plan(campaign, catalog);
  return 0;
}
