// Structure-aware fuzzing of round settlement (SPEC 7): the bytes choose a
// settlement pool (mechanism, aggregate, weights, subtraction, cap, minimum,
// budget) and a contributions file; settle_pool must then pay exactly the sum
// of its matches, never more than the budget, no project more than
// cap * budget, and no negative match.
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include "engine/settlement/contributions.hpp"
#include "engine/settlement/settle.hpp"
#include "engine/settlement/settlement_rules.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace matchfund;

std::string decimal(FuzzedDataProvider& in) {
  // At least 1: an amount of 0 is an input error, and an exhausted provider gives the minimum.
  std::string s = std::to_string(in.ConsumeIntegralInRange<std::uint64_t>(1, in.ConsumeBool() ? 100 : 1'000'000'000));
  if (in.ConsumeBool()) s += "." + std::to_string(in.ConsumeIntegralInRange(0, 999));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const char* const mechanisms[] = {"quadratic", "cluster_profile", "pairwise", "pro_rata"};
  const char* const caps[] = {"1", "0.5", "0.2", "0.05", "0.000001"};
  const char* const weights[] = {"1", "0.5", "0", "0.25", "1.0"};
  const int minor_units = in.ConsumeIntegralInRange(0, 3);
  const Minor budget = in.ConsumeIntegralInRange<Minor>(1, in.ConsumeBool() ? 1'000 : kMinorMax / 4);

  nlohmann::ordered_json settle;
  settle["mechanism"] = mechanisms[in.ConsumeIntegralInRange(0, 3)];
  if (in.ConsumeBool()) settle["aggregate"] = in.ConsumeBool() ? "mean" : "sum";
  if (in.ConsumeBool()) settle["weights"] = in.ConsumeBool() ? "binary" : "multiply";
  if (settle["mechanism"] == "quadratic" || settle["mechanism"] == "cluster_profile")
    if (in.ConsumeBool()) settle["subtract_contributions"] = in.ConsumeBool();
  if (settle["mechanism"] == "pairwise" && in.ConsumeBool()) settle["pairwise_m"] = in.ConsumeBool() ? "0.01" : "25";
  if (settle["mechanism"] == "pro_rata" && in.ConsumeBool()) settle["ratio"] = in.ConsumeBool() ? "0.5" : "3";
  if (in.ConsumeBool()) settle["cap"] = caps[in.ConsumeIntegralInRange(0, 4)];
  if (in.ConsumeBool()) settle["min_contribution"] = format_amount(in.ConsumeIntegralInRange<Minor>(0, 500), minor_units);
  nlohmann::ordered_json rules;
  rules["minor_units"] = minor_units;
  rules["pools"] = nlohmann::ordered_json::array(
      {{{"id", "q"}, {"budget", format_amount(budget, minor_units)}, {"settle", settle}}});

  std::string csv = "donor,project,amount,weight\n";
  const int rows = in.ConsumeIntegralInRange(0, 60);
  for (int i = 0; i < rows && in.remaining_bytes() > 0; ++i)
    csv += "d" + std::to_string(in.ConsumeIntegralInRange(0, 9)) + ",p" + std::to_string(in.ConsumeIntegralInRange(0, 5)) +
           "," + decimal(in) + "," + weights[in.ConsumeIntegralInRange(0, 4)] + "\n";

  SettlementRules parsed;
  if (!fuzz::errors_only([&] { parsed = parse_settlement_rules(rules.dump(), "round.json"); }))
    fuzz::violated("generated settlement rules were refused: " + rules.dump());
  Contributions contributions;
  if (!fuzz::errors_only([&] { contributions = read_contributions(csv, "votes.csv", {}); }))
    fuzz::violated("generated contributions were refused");

  const SettlementPool& pool = parsed.pools.at(0);
  const PoolResult result = settle_pool(pool, contributions, minor_units);
  Wide total = 0;
  using boost::multiprecision::cpp_int;
  const cpp_int cap_times_budget = cpp_int(budget) * numerator(pool.cap);  // over denominator(pool.cap)
  for (const ProjectResult& p : result.projects) {
    if (p.match < 0) fuzz::violated("a negative match");
    if (cpp_int(p.match) * denominator(pool.cap) > cap_times_budget) fuzz::violated("a match above cap * budget");
    total += p.match;
  }
  if (total != result.matched) fuzz::violated("the matches do not sum to the pool's total");
  if (result.matched > budget) fuzz::violated("the pool paid more than its budget");
  return 0;
}
