// The live path: reserve + confirm pairs through the embedding API from 1, 2,
// 4 and 8 client threads, in memory and on a data directory under each fsync
// policy. Reports pairs/s (items_per_second) and the latency of one pair
// (reserve call + confirm call) at p50, p99 and p99.9 in microseconds.
//
// The data directory goes under MATCHFUND_BENCH_DIR (default: the working
// directory), which should be on the disk a platform would use: on tmpfs an
// fsync costs nothing.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.hpp"

namespace {

using namespace matchfund;
namespace fs = std::filesystem;

// A 99 Giving Day style pool: 1:1, capped per donor per day and per project.
constexpr const char* kRules = R"({
  "utc_offset": "+08:00",
  "pools": [
    {"id": "platform", "budget": "100000000", "match": {"ratio": "1"},
     "caps": {"per_donor": {"amount": "999", "per": "day"}, "per_project": {"amount": "1000000"}}}
  ]
})";
constexpr Micros kT0 = 1'504'746'000 * kMicrosPerSecond;

enum Mode { in_memory, fsync_off, fsync_interval, fsync_every_call };
const char* mode_name(int m) {
  switch (m) {
    case in_memory: return "in_memory";
    case fsync_off: return "fsync_off";
    case fsync_interval: return "group_commit_interval_5ms";
    default: return "group_commit_fsync_every_call";
  }
}

double percentile(std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(q * static_cast<double>(sorted.size())));
  return sorted[i];
}

void BM_ReserveConfirm(benchmark::State& state) {
  const int mode = static_cast<int>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  // fsync per call is slower by orders of magnitude: fewer pairs keep the run short.
  const int pairs_per_thread = (mode == fsync_every_call ? 8000 : 160000) / threads;
  const char* base = std::getenv("MATCHFUND_BENCH_DIR");
  std::vector<double> latencies;
  std::uint64_t run = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Options options;
    options.rules_json = kRules;
    options.snapshot_every = 0;
    const fs::path dir = fs::path(base ? base : ".") / ("engine-bench-" + std::to_string(getpid()) + "-" + std::to_string(run++));
    if (mode != in_memory) {
      fs::remove_all(dir);
      options.data_dir = dir.string();
      options.fsync = mode == fsync_off ? FsyncPolicy::off
                      : mode == fsync_interval ? FsyncPolicy::interval
                                               : FsyncPolicy::every_call;
    }
    auto engine = std::move(Engine::open(options)).value();
    std::vector<std::vector<double>> per_thread(threads);
    for (auto& v : per_thread) v.reserve(pairs_per_thread);
    state.ResumeTiming();

    std::vector<std::thread> clients;
    for (int t = 0; t < threads; ++t) {
      clients.emplace_back([&, t] {
        std::string id, donor, project;
        for (int i = 0; i < pairs_per_thread; ++i) {
          id = "t" + std::to_string(t) + "-" + std::to_string(i);
          donor = "d" + std::to_string((i * 7919 + t) % 200000);
          project = "p" + std::to_string(i % 6466);
          const Micros now = kT0 + i * 1000;
          const auto start = std::chrono::steady_clock::now();
          auto held = engine->reserve({id, donor, project, "", 1000 + i % 9000, now});
          auto confirmed = engine->confirm(id, now);
          const auto end = std::chrono::steady_clock::now();
          if (!held.ok() || !confirmed.ok()) std::abort();  // the benchmark would be measuring refusals
          per_thread[t].push_back(std::chrono::duration<double, std::micro>(end - start).count());
        }
      });
    }
    for (auto& c : clients) c.join();

    state.PauseTiming();
    for (auto& v : per_thread) latencies.insert(latencies.end(), v.begin(), v.end());
    engine.reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  std::sort(latencies.begin(), latencies.end());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * pairs_per_thread * threads);
  state.counters["p50_us"] = percentile(latencies, 0.50);
  state.counters["p99_us"] = percentile(latencies, 0.99);
  state.counters["p999_us"] = percentile(latencies, 0.999);
  state.SetLabel(mode_name(mode));
}

void Arguments(benchmark::internal::Benchmark* b) {
  for (int mode : {in_memory, fsync_off, fsync_interval, fsync_every_call})
    for (int threads : {1, 2, 4, 8}) b->Args({mode, threads});
}

BENCHMARK(BM_ReserveConfirm)->Apply(Arguments)->ArgNames({"mode", "threads"})->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
