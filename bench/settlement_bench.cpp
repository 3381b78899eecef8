// Settlement at Gitcoin scale: 100,000 contributions from 30,000 donors to 500
// projects (heavy-tailed popularity), for each mechanism.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "engine/settlement/settle.hpp"

namespace matchfund::bench {
namespace {

const Contributions& gitcoin_round() {
  static const Contributions round = [] {
    Contributions c;
    std::mt19937_64 rng(18);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int d = 0; d < 30'000; ++d) c.donors.intern("0xdonor" + std::to_string(d));
    for (int p = 0; p < 500; ++p) c.projects.intern("0xproject" + std::to_string(p));
    for (int i = 0; i < 100'000; ++i) {
      c.donor.push_back(static_cast<std::uint32_t>(rng() % 30'000));
      c.project.push_back(static_cast<std::uint32_t>(std::pow(u(rng), 2.0) * 500) % 500);
      // $1 to ~$1000, in 10^-18 units, with cents.
      Wide cents = 100 + static_cast<Wide>(std::pow(u(rng), 4.0) * 100'000);
      c.amount.push_back(cents * static_cast<Wide>(10'000'000'000'000'000LL));
      c.weight.push_back(u(rng) < 0.9 ? kExactOne : 0);
    }
    return c;
  }();
  return round;
}

void run(benchmark::State& state, Mechanism mechanism) {
  const Contributions& c = gitcoin_round();
  SettlementPool pool;
  pool.id = "qf";
  pool.budget = 2'500'000;  // 25,000.00
  pool.mechanism = mechanism;
  pool.cap = Rational(1, 5);
  Minor matched = 0;
  for (auto _ : state) {
    PoolResult r = settle_pool(pool, c, 2);
    matched = r.matched;
    benchmark::DoNotOptimize(matched);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.size()));
  state.counters["matched_minor"] = static_cast<double>(matched);
}

void BM_SettleQuadratic(benchmark::State& s) { run(s, Mechanism::quadratic); }
void BM_SettleClusterProfile(benchmark::State& s) { run(s, Mechanism::cluster_profile); }
void BM_SettlePairwise(benchmark::State& s) { run(s, Mechanism::pairwise); }
void BM_SettleProRata(benchmark::State& s) { run(s, Mechanism::pro_rata); }
BENCHMARK(BM_SettleQuadratic)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SettleClusterProfile)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SettlePairwise)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_SettleProRata)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace matchfund::bench

BENCHMARK_MAIN();
