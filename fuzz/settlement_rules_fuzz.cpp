// Fuzzes the settlement rules parser (SPEC 7, 8).
#include "engine/settlement/settlement_rules.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace matchfund;
  fuzz::errors_only([&] {
    SettlementRules rules = parse_settlement_rules(fuzz::as_text(data, size), "round.json");
    if (rules.pools.empty()) fuzz::violated("settlement rules without pools were accepted");
  });
  return 0;
}
