// The peak-day suite on a generated workload (bench/peak_day.sh makes it):
// parse, allocate only (the headline), end to end, the floor and the naive
// baseline, all on the same stream and rules, measured in one run.
// The dataset folder comes from MATCHFUND_DATASET (donations.csv, projects.csv, rules.json).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "bench/baselines/naive_allocator.hpp"
#include "engine/file_io.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/simulation.hpp"
#include "engine/streamed_simulation.hpp"

namespace matchfund::bench {
namespace {

struct Dataset {
  std::string dir, rules_text, projects_text, donations_text;
  Campaign campaign;
  Catalog catalog;
  DonationStream stream;
  std::unique_ptr<Plan> plan;
};

Dataset& dataset() {
  static std::unique_ptr<Dataset> d = [] {
    auto d = std::make_unique<Dataset>();
    const char* dir = std::getenv("MATCHFUND_DATASET");
    if (!dir) {
      std::cerr << "set MATCHFUND_DATASET to a folder made by `matchfund generate`\n";
      std::exit(2);
    }
    d->dir = dir;
    d->rules_text = read_file(d->dir + "/rules.json");
    d->projects_text = read_file(d->dir + "/projects.csv");
    d->donations_text = read_file(d->dir + "/donations.csv");
    d->campaign = parse_campaign(d->rules_text, "rules.json");
    read_projects(d->projects_text, "projects.csv", d->catalog);
    d->stream = read_donations(d->donations_text, "donations.csv", d->campaign.minor_units, d->catalog);
    d->plan = std::make_unique<Plan>(d->campaign, d->catalog);
    return d;
  }();
  return *d;
}

void BM_Parse(benchmark::State& state) {
  Dataset& d = dataset();
  for (auto _ : state) {
    Catalog catalog;
    read_projects(d.projects_text, "projects.csv", catalog);
    DonationStream s = read_donations(d.donations_text, "donations.csv", d.campaign.minor_units, catalog);
    benchmark::DoNotOptimize(s.donated);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.stream.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.donations_text.size()));
}

void BM_AllocateOnly(benchmark::State& state) {
  Dataset& d = dataset();
  Minor matched = 0;
  for (auto _ : state) {
    Allocator allocator(*d.plan, d.catalog);
    NullSink sink;
    run_allocation(allocator, d.stream, sink);
    matched = 0;
    for (const PoolState& p : allocator.pool_states()) matched += p.granted;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.stream.size()));
  state.counters["matched"] = static_cast<double>(matched);
}

// One read-modify-write per donation into donor state of the allocator's size
// (a 16-byte slot per donor), nothing else: the memory traffic no allocator avoids.
void BM_Floor(benchmark::State& state) {
  Dataset& d = dataset();
  struct Slot {
    std::int64_t day;
    std::int64_t total;
  };
  for (auto _ : state) {
    std::vector<Slot> donors(d.catalog.donors.size(), Slot{0, 0});
    const std::uint32_t* donor = d.stream.donor.data();
    const Minor* amount = d.stream.amount.data();
    for (std::size_t i = 0, n = d.stream.size(); i < n; ++i) donors[donor[i]].total += amount[i];
    benchmark::DoNotOptimize(donors.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.stream.size()));
}

// CSV in, ledger and summary out (to a scratch folder), as `simulate` runs.
void BM_EndToEnd(benchmark::State& state) {
  Dataset& d = dataset();
  const std::string scratch = d.dir + "/bench-ledger.csv";
  for (auto _ : state) {
    Campaign campaign = parse_campaign(d.rules_text, "rules.json");
    Catalog catalog;
    read_projects(d.projects_text, "projects.csv", catalog);
    AtomicOutput ledger(scratch);
    benchmark::DoNotOptimize(simulate_donations(d.donations_text, "donations.csv", campaign, catalog, ledger).summary);
    ledger.finish();
    ledger.publish();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.stream.size()));
}

void BM_NaiveBaseline(benchmark::State& state) {
  Dataset& d = dataset();
  std::vector<NaiveDonation> donations;
  donations.reserve(d.stream.size());
  for (std::size_t i = 0; i < d.stream.size(); ++i) {
    const std::uint32_t p = d.stream.project[i];
    donations.push_back({std::string(d.stream.id(i)), static_cast<double>(d.stream.time[i]) / 1e6,
                         std::string(d.catalog.donors.name(d.stream.donor[i])), std::string(d.catalog.projects.name(p)),
                         std::string(d.catalog.categories.name(d.catalog.project_category[p])),
                         std::string(d.catalog.orgs.name(d.catalog.project_org[p])),
                         std::string(d.catalog.channels.name(d.stream.channel[i])),
                         static_cast<double>(d.stream.amount[i]) / 100.0});
  }
  double matched = 0;
  for (auto _ : state) {
    NaiveAllocator naive(d.rules_text);
    for (const NaiveDonation& x : donations) benchmark::DoNotOptimize(naive.allocate(x));
    matched = naive.matched();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.stream.size()));
  state.counters["matched"] = matched * 100;  // in minor units, beside the engine's
}

BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AllocateOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Floor)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EndToEnd)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NaiveBaseline)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(1);

}  // namespace
}  // namespace matchfund::bench

BENCHMARK_MAIN();
