// The 09:00 moment: many threads reserve and confirm against one pool until
// it runs dry. Granted never exceeds the budget and reaches it exactly when
// demand exceeds it, with or without a journal in the way.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "engine/engine.hpp"

using namespace matchfund;

namespace {

constexpr Micros kT0 = 1'504'746'000 * kMicrosPerSecond;
constexpr int kThreads = 8;

struct Outcome {
  Minor granted = 0;        // sum of what confirms returned
  Minor pool_confirmed = 0; // the pool's own total
  Minor pool_held = 0;
  long refused = 0;
};

// Each thread gives `per_thread` donations of `amount` from `donors` donors
// (1:1 match, at most 5.00 per donor) to one pool of `budget`; every other
// one is cancelled again.
Outcome hammer(const std::string& data_dir, Minor budget, int per_thread, Minor amount, int donors = 997) {
  Options options;
  options.rules_json = R"({"pools": [{"id": "day1", "budget": ")" + format_amount(budget, 2) +
                       R"(", "match": {"ratio": "1"}, "caps": {"per_donor": {"amount": "5"}}}]})";
  options.data_dir = data_dir;
  options.fsync = FsyncPolicy::off;
  options.snapshot_every = 997;  // snapshots taken while other threads wait on the journal
  auto opened = Engine::open(options);
  EXPECT_TRUE(opened.ok()) << opened.message();
  Engine& engine = *opened.value();

  std::atomic<Minor> granted{0};
  std::atomic<long> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        const std::string donor = "donor" + std::to_string((t * per_thread + i) % donors);
        const Micros now = kT0 + i;
        auto held = engine.reserve({id, donor, "p" + std::to_string(i % 13), "", amount, now});
        if (!held.ok()) {
          refused.fetch_add(1);
          continue;
        }
        if (i % 2 == 1) {
          if (!engine.cancel(id, now).ok()) refused.fetch_add(1);
          continue;
        }
        auto confirmed = engine.confirm(id, now);
        if (!confirmed.ok()) {
          refused.fetch_add(1);
          continue;
        }
        granted.fetch_add(confirmed->total);
        // Never above the budget, at any moment another thread can observe.
        const PoolTotals pool = engine.pool_totals()[0];
        if (pool.held + pool.confirmed > budget) refused.fetch_add(1'000'000);
      }
    });
  }
  for (auto& th : threads) th.join();
  Outcome out;
  out.granted = granted.load();
  out.refused = refused.load();
  const PoolTotals pool = engine.pool_totals()[0];
  out.pool_confirmed = pool.confirmed;
  out.pool_held = pool.held;
  return out;
}

class EngineConcurrency : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (!GetParam()) return;
    char pattern[] = "/tmp/matchfund-concurrency-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string dir_;  // empty: in memory
};

}  // namespace

TEST_P(EngineConcurrency, DemandAboveTheBudgetTakesItExactly) {
  // 8 threads x 2000 donations of 3.00, half confirmed: 24,000.00 of demand for a 1,234.56 pool.
  const Minor budget = 123456;
  const Outcome out = hammer(dir_, budget, 2000, 300);
  EXPECT_EQ(out.refused, 0);
  EXPECT_EQ(out.granted, budget);
  EXPECT_EQ(out.pool_confirmed, budget);
  EXPECT_EQ(out.pool_held, 0);
}

TEST_P(EngineConcurrency, DemandBelowTheBudgetIsMetInFull) {
  const Minor budget = 100'000'000;
  const Outcome out = hammer(dir_, budget, 500, 300, kThreads * 500);
  EXPECT_EQ(out.refused, 0);
  EXPECT_EQ(out.granted, Minor{kThreads} * 250 * 300);
  EXPECT_EQ(out.pool_confirmed, out.granted);
}

TEST_P(EngineConcurrency, AReopenedEngineAgreesWithTheRun) {
  if (dir_.empty()) GTEST_SKIP() << "in memory: nothing to reopen";
  const Minor budget = 55555;
  const Outcome out = hammer(dir_, budget, 1000, 700);
  Options options;
  options.rules_json = R"({"pools": [{"id": "day1", "budget": "555.55", "match": {"ratio": "1"}, "caps": {"per_donor": {"amount": "5"}}}]})";
  options.data_dir = dir_;
  auto reopened = Engine::open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.message();
  EXPECT_EQ(reopened.value()->pool_totals()[0].confirmed, out.pool_confirmed);
  EXPECT_EQ(out.pool_confirmed, budget);
}

INSTANTIATE_TEST_SUITE_P(InMemoryAndJournaled, EngineConcurrency, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "journaled" : "in_memory"; });
