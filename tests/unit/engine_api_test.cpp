// The embedding API (engine/engine.hpp): lifecycle semantics, refusals that
// change nothing, explain, top-up, freeze, totals.
#include <gtest/gtest.h>

#include <vector>

#include "engine/engine.hpp"
#include "unit/engine_test_support.hpp"

using namespace matchfund;
using namespace matchfund::test_support;

namespace {

constexpr Micros kT0 = 1'504'746'000 * kMicrosPerSecond;  // 2017-09-07T01:00:00Z
constexpr Micros kMinute = 60 * kMicrosPerSecond;

std::unique_ptr<Engine> open_engine(Options options = {}) {
  if (options.rules_json.empty()) options.rules_json = kTwoPoolRules;
  auto opened = Engine::open(std::move(options));
  EXPECT_TRUE(opened.ok()) << opened.message();
  return std::move(opened).value();
}

const PoolTotals& pool(const std::vector<PoolTotals>& totals, std::string_view id) {
  for (const PoolTotals& t : totals)
    if (t.pool == id) return t;
  throw std::runtime_error("no pool " + std::string(id));
}

}  // namespace

TEST(EngineApi, ReserveHoldsAndConfirmMakesFinal) {
  auto engine = open_engine();
  auto held = engine->reserve({"d1", "ann", "school", "", 2000, kT0});
  ASSERT_TRUE(held.ok()) << held.message();
  ASSERT_EQ(held->grants.size(), 2u);
  EXPECT_EQ(held->grants[0].pool, "main");
  EXPECT_EQ(held->grants[0].base, 2000);
  EXPECT_EQ(held->grants[0].amount, 2000);
  EXPECT_EQ(held->grants[0].limit, "none");
  EXPECT_EQ(held->grants[1].pool, "kids");
  EXPECT_EQ(held->grants[1].amount, 1000);
  EXPECT_EQ(held->total, 3000);
  EXPECT_EQ(held->deadline, kT0 + 600 * kMicrosPerSecond);
  EXPECT_EQ(pool(engine->pool_totals(), "main").held, 2000);

  auto confirmed = engine->confirm("d1", kT0 + kMinute);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->total, 3000);
  ASSERT_EQ(confirmed->rows.size(), 2u);
  EXPECT_EQ(confirmed->rows[1].pool, "kids");
  EXPECT_EQ(confirmed->rows[1].amount, 1000);
  const auto totals = engine->pool_totals();
  EXPECT_EQ(pool(totals, "main").held, 0);
  EXPECT_EQ(pool(totals, "main").confirmed, 2000);
  EXPECT_EQ(pool(totals, "main").available, 10000 - 2000);
  EXPECT_EQ(engine->project_totals("school").confirmed, 3000);
  EXPECT_EQ(engine->donor_totals("ann").confirmed, 3000);
  EXPECT_EQ(engine->donor_totals("nobody").confirmed, 0);
}

TEST(EngineApi, CapBindsAndIsNamed) {
  auto engine = open_engine();
  ASSERT_TRUE(engine->reserve({"d1", "ann", "park", "", 2000, kT0}).ok());
  auto second = engine->reserve({"d2", "ann", "park", "", 2000, kT0 + 1});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->grants.size(), 1u);  // park is not eligible for "kids"
  EXPECT_EQ(second->grants[0].amount, 1000);  // per_donor 30.00, 20.00 already held
  EXPECT_EQ(second->grants[0].limit, "per_donor");
}

TEST(EngineApi, QuoteChangesNothingAndPredictsTheReserve) {
  auto engine = open_engine();
  ASSERT_TRUE(engine->reserve({"d1", "ann", "school", "", 2500, kT0}).ok());
  const std::string before = state_of(*engine, {"ann", "bob"}, {"school"});
  auto quoted = engine->quote({"d2", "ann", "school", "", 2000, kT0 + kMinute});
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(state_of(*engine, {"ann", "bob"}, {"school"}), before);
  auto held = engine->reserve({"d2", "ann", "school", "", 2000, kT0 + kMinute});
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(quoted->grants.size(), held->grants.size());
  for (std::size_t i = 0; i < held->grants.size(); ++i) {
    EXPECT_EQ(quoted->grants[i].amount, held->grants[i].amount);
    EXPECT_EQ(quoted->grants[i].limit, held->grants[i].limit);
  }
  EXPECT_EQ(held->grants[0].amount, 500);
}

TEST(EngineApi, EveryRefusalHasItsCodeAndChangesNothing) {
  Options options;
  options.max_time_lag = 10 * kMinute;
  auto engine = open_engine(options);
  ASSERT_TRUE(engine->reserve({"d1", "ann", "school", "", 1000, kT0}).ok());
  ASSERT_TRUE(engine->reserve({"d2", "bob", "school", "", 1000, kT0}).ok());
  ASSERT_TRUE(engine->cancel("d2", kT0).ok());
  ASSERT_TRUE(engine->freeze("banned", false).ok());
  const std::string before = state_of(*engine, {"ann", "bob", "cat"}, {"school", "banned"});

  struct Case {
    const char* what;
    Code expected;
    Code got;
  };
  const Micros t = kT0 + kMinute;
  std::vector<Case> cases = {
      {"duplicate reserve", Code::duplicate, engine->reserve({"d1", "cat", "school", "", 1000, t}).code()},
      {"confirm unknown", Code::unknown, engine->confirm("nope", t).code()},
      {"confirm cancelled", Code::not_held, engine->confirm("d2", t).code()},
      {"extend cancelled", Code::not_held, engine->extend("d2", t).code()},
      {"refund held", Code::not_confirmed, engine->refund("d1", t).code()},
      {"amount 0", Code::invalid_argument, engine->reserve({"d3", "cat", "school", "", 0, t}).code()},
      {"amount < 0", Code::invalid_argument, engine->reserve({"d3", "cat", "school", "", -5, t}).code()},
      {"empty donor", Code::invalid_argument, engine->reserve({"d3", "", "school", "", 100, t}).code()},
      {"empty id", Code::invalid_argument, engine->reserve({"", "cat", "school", "", 100, t}).code()},
      {"bad UTF-8", Code::invalid_argument, engine->reserve({"d3", "\xff", "school", "", 100, t}).code()},
      {"long id", Code::invalid_argument, engine->reserve({std::string(2000, 'x'), "cat", "school", "", 100, t}).code()},
      {"frozen project", Code::project_frozen, engine->reserve({"d3", "cat", "banned", "", 100, t}).code()},
      {"frozen quote", Code::project_frozen, engine->quote({"d3", "cat", "banned", "", 100, t}).code()},
      {"far in the past", Code::stale_time, engine->reserve({"d3", "cat", "school", "", 100, kT0 - kMinute * 11}).code()},
      {"confirm in the past", Code::stale_time, engine->confirm("d1", kT0 - kMinute * 11).code()},
      {"top-up unknown pool", Code::invalid_argument, engine->top_up("nope", 100).code()},
      {"top-up 0", Code::invalid_argument, engine->top_up("main", 0).code()},
      {"top-up overflow", Code::too_large, engine->top_up("main", kMinorMax).code()},
      {"freeze empty", Code::invalid_argument, engine->freeze("", true).code()},
  };
  for (const Case& c : cases) EXPECT_EQ(code_name(c.got), code_name(c.expected)) << c.what;
  EXPECT_EQ(state_of(*engine, {"ann", "bob", "cat"}, {"school", "banned"}), before);
  EXPECT_EQ(engine->clock(), kT0);
  EXPECT_FALSE(engine->explain("d3").ok());
}

TEST(EngineApi, HoldsLapseOnTheClockAndAreReported) {
  std::vector<Settlement> expired;
  Options options;
  options.on_expire = [&](const Settlement& s) { expired.push_back(s); };
  auto engine = open_engine(options);
  ASSERT_TRUE(engine->reserve({"d1", "ann", "school", "", 1000, kT0}).ok());
  ASSERT_TRUE(engine->reserve({"d2", "bob", "school", "", 1000, kT0 + kMinute}).ok());
  auto extended = engine->extend("d2", kT0 + 5 * kMinute);
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(*extended, kT0 + 15 * kMinute);  // clock + ttl, within made + max
  // A confirm exactly at the deadline finds the hold lapsed, and is refused without moving the clock.
  EXPECT_EQ(engine->confirm("d1", kT0 + 10 * kMinute).code(), Code::not_held);
  EXPECT_TRUE(expired.empty());
  ASSERT_TRUE(engine->advance(kT0 + 10 * kMinute).ok());
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].id, "d1");
  EXPECT_EQ(expired[0].total, 1500);
  EXPECT_EQ(pool(engine->pool_totals(), "main").released, 1000);
  EXPECT_EQ(engine->explain("d1")->state, HoldState::expired);
  EXPECT_EQ(engine->explain("d2")->state, HoldState::held);
  // Extensions stop at made + max.
  EXPECT_EQ(*engine->extend("d2", kT0 + 14 * kMinute), kT0 + 21 * kMinute);
  ASSERT_TRUE(engine->advance(kT0 + 21 * kMinute).ok());
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(pool(engine->pool_totals(), "main").held, 0);
}

TEST(EngineApi, ExplainGivesEveryPoolItsReasonAndHeadrooms) {
  auto engine = open_engine();
  ASSERT_TRUE(engine->reserve({"d1", "ann", "park", "", 1000, kT0}).ok());
  ASSERT_TRUE(engine->reserve({"d2", "ann", "park", "", 2500, kT0}).ok());
  auto e = engine->explain("d2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->donor, "ann");
  EXPECT_EQ(e->project, "park");
  EXPECT_EQ(e->channel, "cash");
  EXPECT_EQ(e->amount, 2500);
  ASSERT_EQ(e->pools.size(), 2u);
  const PoolExplanation& main = e->pools[0];
  EXPECT_TRUE(main.eligible);
  EXPECT_EQ(main.base, 2500);
  EXPECT_EQ(main.amount, 2000);
  EXPECT_EQ(main.limit, "per_donor");
  ASSERT_EQ(main.headrooms.size(), 2u);
  EXPECT_EQ(main.headrooms[0].limit, "per_donor");
  EXPECT_EQ(main.headrooms[0].amount, std::optional<Minor>(2000));  // 30.00 cap, 10.00 held
  EXPECT_EQ(main.headrooms[1].limit, "pool");
  EXPECT_EQ(main.headrooms[1].amount, std::optional<Minor>(9000));
  const PoolExplanation& kids = e->pools[1];
  EXPECT_FALSE(kids.eligible);
  EXPECT_EQ(kids.reason, "projects");
  EXPECT_EQ(e->total, 2000);
}

TEST(EngineApi, MaxTotalRatioHeadroomBetweenInt64AndTwoToTheSixtyFour) {
  // floor(5e18 * 2) = 1e19 lies between INT64_MAX (about 9.22e18) and 2^64:
  // after pool a's 2.5e18, what is left under max_total_ratio is exactly
  // 7.5e18 (capping 1e19 at INT64_MAX before subtracting would say 6.72e18).
  Options options;
  options.rules_json = R"({"minor_units": 0, "max_total_ratio": "2", "pools": [
      {"id": "a", "budget": "2500000000000000000", "match": {"ratio": "0.5"}},
      {"id": "b", "budget": "6000000000000000000", "match": {"ratio": "1"}}]})";
  auto engine = open_engine(options);
  ASSERT_TRUE(engine->reserve({"d1", "ann", "park", "", 5'000'000'000'000'000'000, kT0}).ok());
  auto e = engine->explain("d1");
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->pools.size(), 2u);
  EXPECT_EQ(e->pools[0].amount, 2'500'000'000'000'000'000);
  const PoolExplanation& b = e->pools[1];
  EXPECT_EQ(b.amount, 5'000'000'000'000'000'000);
  EXPECT_EQ(b.limit, "none");
  ASSERT_EQ(b.headrooms.size(), 2u);
  EXPECT_EQ(b.headrooms[0].limit, "max_total_ratio");
  EXPECT_EQ(b.headrooms[0].amount, std::optional<Minor>(7'500'000'000'000'000'000));
  EXPECT_EQ(b.headrooms[1].limit, "pool");
  EXPECT_EQ(b.headrooms[1].amount, std::optional<Minor>(6'000'000'000'000'000'000));
}

TEST(EngineApi, TopUpIsAvailableAtOnce) {
  auto engine = open_engine();
  // Exhaust "main" (100.00) with donors under the per-donor cap.
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(engine->reserve({"x" + std::to_string(i), "donor" + std::to_string(i), "park", "", 3000, kT0}).ok());
  auto short_of_money = engine->reserve({"y", "eve", "park", "", 3000, kT0});
  ASSERT_TRUE(short_of_money.ok());
  EXPECT_EQ(short_of_money->grants[0].amount, 1000);
  EXPECT_EQ(short_of_money->grants[0].limit, "pool");
  ASSERT_TRUE(engine->top_up("main", 5000).ok());
  auto after = engine->reserve({"z", "fay", "park", "", 3000, kT0});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->grants[0].amount, 3000);
  EXPECT_EQ(pool(engine->pool_totals(), "main").budget, 15000);
}

TEST(EngineApi, FreezeReleasesHoldsAndClawsBackOnlyWhenAsked) {
  auto engine = open_engine();
  ASSERT_TRUE(engine->reserve({"held", "ann", "school", "", 1000, kT0}).ok());
  ASSERT_TRUE(engine->reserve({"done", "bob", "school", "", 1000, kT0}).ok());
  ASSERT_TRUE(engine->confirm("done", kT0).ok());
  auto frozen = engine->freeze("school", false);
  ASSERT_TRUE(frozen.ok());
  ASSERT_EQ(frozen->size(), 1u);
  EXPECT_EQ((*frozen)[0].id, "held");
  EXPECT_EQ(engine->explain("held")->state, HoldState::cancelled);
  EXPECT_EQ(engine->project_totals("school").confirmed, 1500);
  EXPECT_EQ(engine->project_totals("school").held, 0);
  auto clawed = engine->freeze("school", true);
  ASSERT_TRUE(clawed.ok());
  ASSERT_EQ(clawed->size(), 1u);
  EXPECT_EQ(engine->explain("done")->state, HoldState::clawed_back);
  EXPECT_EQ(engine->project_totals("school").confirmed, 0);
  EXPECT_EQ(pool(engine->pool_totals(), "main").confirmed, 0);
  EXPECT_EQ(engine->reserve({"late", "cat", "school", "", 1000, kT0}).code(), Code::project_frozen);
}

TEST(EngineApi, AMatchBeyondInt64IsRefusedWithoutATrace) {
  Options options;
  options.rules_json = R"({"pools": [{"id": "double", "budget": "100", "match": {"ratio": "2"}}]})";
  auto engine = open_engine(options);
  ASSERT_TRUE(engine->reserve({"d1", "ann", "park", "", 1000, kT0}).ok());
  const std::string before = state_of(*engine, {"ann", "bob"}, {"park"});
  EXPECT_EQ(engine->reserve({"d2", "bob", "park", "", kMinorMax / 2 + 1, kT0 + kMinute}).code(), Code::too_large);
  EXPECT_EQ(engine->quote({"d2", "bob", "park", "", kMinorMax / 2 + 1, kT0 + kMinute}).code(), Code::too_large);
  EXPECT_EQ(state_of(*engine, {"ann", "bob"}, {"park"}), before);
  EXPECT_EQ(engine->reserve({"d2", "bob", "park", "", kMinorMax / 2, kT0 + kMinute})->total, 10000 - 2000);
}

TEST(EngineApi, InvalidRulesAreARulesError) {
  Options options;
  options.rules_json = R"({"pools": []})";
  auto opened = Engine::open(options);
  EXPECT_EQ(opened.code(), Code::rules_error);
  EXPECT_NE(opened.message().find("pools"), std::string::npos);
}
