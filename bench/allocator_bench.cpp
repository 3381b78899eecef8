// The allocator on a synthetic peak-day stream, beside the floor: a loop that
// does only the unavoidable memory traffic (one read-modify-write per donation
// into donor state of the same size). Compare items_per_second side by side.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "bench/baselines/naive_allocator.hpp"
#include "bench/synthetic.hpp"
#include "engine/allocator.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/simulation.hpp"

namespace matchfund::bench {
namespace {

struct Fixture {
  Catalog catalog;
  DonationStream stream;
  Campaign campaign;
  std::unique_ptr<Plan> plan;
  std::string csv;

  explicit Fixture(std::uint32_t donors) {
    SyntheticConfig config;
    config.donors = donors;
    stream = make_stream(config, catalog);
    campaign = parse_campaign(giving_day_rules(), "synthetic-rules.json");
    plan = std::make_unique<Plan>(campaign, catalog);
  }
};

Fixture& fixture(std::uint32_t donors) {
  static std::map<std::uint32_t, std::unique_ptr<Fixture>> cache;
  auto& f = cache[donors];
  if (!f) f = std::make_unique<Fixture>(donors);
  return *f;
}

void BM_Allocate(benchmark::State& state) {
  Fixture& f = fixture(static_cast<std::uint32_t>(state.range(0)));
  Minor matched = 0;
  for (auto _ : state) {
    Allocator allocator(*f.plan, f.catalog);
    NullSink sink;
    run_allocation(allocator, f.stream, sink);
    matched = 0;
    for (const PoolState& p : allocator.pool_states()) matched += p.granted;
    benchmark::DoNotOptimize(matched);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.stream.size()));
  state.counters["matched_major"] = static_cast<double>(matched) / 100.0;
}
BENCHMARK(BM_Allocate)->Arg(10'000)->Arg(200'000)->Arg(2'000'000)->Unit(benchmark::kMillisecond);

// The floor: per donation, one read-modify-write of a 16-byte donor record.
void BM_Floor(benchmark::State& state) {
  Fixture& f = fixture(static_cast<std::uint32_t>(state.range(0)));
  struct DonorState {
    std::int64_t day;
    std::int64_t total;
  };
  for (auto _ : state) {
    std::vector<DonorState> donors(f.catalog.donors.size(), DonorState{0, 0});
    const std::uint32_t* donor = f.stream.donor.data();
    const Minor* amount = f.stream.amount.data();
    for (std::size_t i = 0, n = f.stream.size(); i < n; ++i) donors[donor[i]].total += amount[i];
    benchmark::DoNotOptimize(donors.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.stream.size()));
}
BENCHMARK(BM_Floor)->Arg(10'000)->Arg(200'000)->Arg(2'000'000)->Unit(benchmark::kMillisecond);

// The naive baseline on the same stream and rules (strings, hash maps, doubles).
void BM_NaiveBaseline(benchmark::State& state) {
  Fixture& f = fixture(static_cast<std::uint32_t>(state.range(0)));
  std::vector<NaiveDonation> donations;
  donations.reserve(f.stream.size());
  for (std::size_t i = 0; i < f.stream.size(); ++i) {
    const std::uint32_t p = f.stream.project[i];
    donations.push_back({std::string(f.stream.id(i)), static_cast<double>(f.stream.time[i]) / 1e6,
                         std::string(f.catalog.donors.name(f.stream.donor[i])), std::string(f.catalog.projects.name(p)),
                         std::string(f.catalog.categories.name(f.catalog.project_category[p])),
                         std::string(f.catalog.orgs.name(f.catalog.project_org[p])),
                         std::string(f.catalog.channels.name(f.stream.channel[i])),
                         static_cast<double>(f.stream.amount[i]) / 100.0});
  }
  double matched = 0;
  for (auto _ : state) {
    NaiveAllocator naive(giving_day_rules());
    for (const NaiveDonation& d : donations) benchmark::DoNotOptimize(naive.allocate(d));
    matched = naive.matched();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.stream.size()));
  state.counters["matched_major"] = matched;
}
BENCHMARK(BM_NaiveBaseline)->Arg(200'000)->Unit(benchmark::kMillisecond);

// Parse: donations CSV to the interned columnar stream.
void BM_ParseDonations(benchmark::State& state) {
  Fixture& f = fixture(200'000);
  if (f.csv.empty()) f.csv = to_csv(f.stream, f.catalog);
  for (auto _ : state) {
    Catalog catalog;
    DonationStream s = read_donations(f.csv, "synthetic.csv", 2, catalog);
    benchmark::DoNotOptimize(s.donated);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.stream.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.csv.size()));
}
BENCHMARK(BM_ParseDonations)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace matchfund::bench

BENCHMARK_MAIN();
