// How the allocator scales: with the number of distinct donors (state size),
// with the number of pools, and with arrival order (in time order vs shuffled).
// Each case runs 2M synthetic donations under giving-day-shaped rules.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <random>

#include "bench/synthetic.hpp"
#include "engine/ledger.hpp"
#include "engine/simulation.hpp"

namespace matchfund::bench {
namespace {

constexpr std::size_t kDonations = 2'000'000;

struct Case {
  Catalog catalog;
  DonationStream stream;
  Campaign campaign;
  std::unique_ptr<Plan> plan;
};

// `pools` ratio pools, each with a per-donor daily cap, a per-project cap and a budget that runs dry.
std::string rules_with_pools(int pools) {
  std::string r = R"({"utc_offset": "+08:00", "pools": [)";
  for (int p = 0; p < pools; ++p) {
    if (p) r += ',';
    r += R"({"id": "pool)" + std::to_string(p) + R"(", "budget": "2000000", "priority": )" + std::to_string(p) +
         R"(, "match": {"ratio": "0.5"}, "caps": {"per_donor": {"amount": "999", "per": "day"},)"
         R"( "per_project": {"amount": "50000"}}})";
  }
  return r + "]}";
}

// Applies the same permutation to every column of the stream.
void shuffle(DonationStream& s, std::uint64_t seed) {
  std::vector<std::size_t> order(s.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  auto permute = [&order](auto& column) {
    auto copy = column;
    for (std::size_t i = 0; i < order.size(); ++i) column[i] = copy[order[i]];
  };
  permute(s.time);
  permute(s.time_style);
  permute(s.donor);
  permute(s.project);
  permute(s.channel);
  permute(s.amount);
  permute(s.line);
  // Ids keep their hashes by position; put them in the new order too.
  StringColumn ids;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto k = static_cast<std::uint32_t>(order[i]);
    ids.append(s.ids.name(k), s.ids.hash(k));
  }
  s.ids = std::move(ids);
}

Case& get_case(std::uint32_t donors, int pools, bool shuffled) {
  static std::map<std::tuple<std::uint32_t, int, bool>, std::unique_ptr<Case>> cache;
  auto& c = cache[{donors, pools, shuffled}];
  if (!c) {
    c = std::make_unique<Case>();
    SyntheticConfig config;
    config.donations = kDonations;
    config.donors = donors;
    c->stream = make_stream(config, c->catalog);
    if (shuffled) shuffle(c->stream, 7);
    c->campaign = parse_campaign(pools > 0 ? rules_with_pools(pools) : giving_day_rules(), "rules.json");
    c->plan = std::make_unique<Plan>(c->campaign, c->catalog);
  }
  return *c;
}

void run(benchmark::State& state, Case& c) {
  for (auto _ : state) {
    Allocator allocator(*c.plan, c.catalog);
    NullSink sink;
    run_allocation(allocator, c.stream, sink);
    benchmark::DoNotOptimize(allocator.pool_states().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.stream.size()));
}

void BM_Donors(benchmark::State& state) { run(state, get_case(static_cast<std::uint32_t>(state.range(0)), 0, false)); }
void BM_Pools(benchmark::State& state) { run(state, get_case(200'000, static_cast<int>(state.range(0)), false)); }
void BM_Order(benchmark::State& state) { run(state, get_case(2'000'000, 0, state.range(0) != 0)); }

BENCHMARK(BM_Donors)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Arg(10'000'000)->Arg(30'000'000)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Pools)->RangeMultiplier(2)->Range(1, 64)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Order)->ArgName("shuffled")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace matchfund::bench

BENCHMARK_MAIN();
