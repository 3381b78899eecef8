// Each policy family driven end to end through the library (SPEC 3 and 4):
// parse_campaign + read_projects + read_donations + Plan + Allocator +
// run_allocation into a VectorSink. Expected ledger rows are computed by hand
// in the comments next to them.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/error.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/plan.hpp"
#include "engine/rules.hpp"
#include "engine/simulation.hpp"
#include "unit/test_support.hpp"

namespace matchfund {
namespace {

// One simulate run, kept in place (the plan points into the campaign).
struct Run {
  Campaign campaign;
  Catalog catalog;
  DonationStream stream;
  std::unique_ptr<Plan> plan;
  std::unique_ptr<Allocator> allocator;
  VectorSink sink;

  // The ledger rows as SPEC 5 writes them: donation,pool,base,granted,limit.
  std::vector<std::string> ledger() const {
    std::vector<std::string> out;
    const int mu = campaign.minor_units;
    for (const LedgerRow& r : sink.rows)
      out.push_back(std::string(stream.id(r.seq)) + "," + plan->pools()[r.pool].rules->id + "," +
                    format_amount(r.base, mu) + "," + format_amount(r.grant, mu) + "," +
                    std::string(plan->limit_name(r.limit)));
    return out;
  }
  // The state of the pool with this id.
  const PoolState& pool(const std::string& id) const {
    for (std::size_t p = 0; p < plan->pools().size(); ++p)
      if (plan->pools()[p].rules->id == id) return allocator->pool_states()[p];
    throw std::logic_error("no pool " + id);
  }
  nlohmann::json summary() const { return nlohmann::json::parse(summary_json(*plan, stream, *allocator)); }
};

std::unique_ptr<Run> simulate(const std::string& rules, const std::string& donations, const std::string& projects = "") {
  auto run = std::make_unique<Run>();
  run->campaign = parse_campaign(rules, "rules.json");
  if (!projects.empty()) read_projects(projects, "projects.csv", run->catalog);
  run->stream = read_donations(donations, "donations.csv", run->campaign.minor_units, run->catalog);
  run->plan = std::make_unique<Plan>(run->campaign, run->catalog);
  run->allocator = std::make_unique<Allocator>(*run->plan, run->catalog);
  run_allocation(*run->allocator, run->stream, run->sink);
  return run;
}

using Lines = std::vector<std::string>;

constexpr const char* kHeader = "id,time,donor,project,amount\n";
constexpr const char* kT = "2017-09-07T09:00:00Z";  // a time for tests where time does not matter

// A donations file of rows "id,time,donor,project,amount" all at kT.
std::string donations(const std::vector<std::tuple<std::string, std::string, std::string, std::string>>& rows) {
  std::string s = kHeader;
  for (const auto& [id, donor, project, amount] : rows) s += id + "," + kT + "," + donor + "," + project + "," + amount + "\n";
  return s;
}

// A rules file with one pool "p" of budget 10000 and ratio 1 plus `extra` fields.
std::string one_pool(const std::string& extra, const std::string& top = "", const std::string& budget = "10000") {
  return "{" + top + R"("pools": [{"id": "p", "budget": ")" + budget + R"(", "match": {"ratio": "1"})" + extra + "}]}";
}

using matchfund::test_support::error_of;

// The SPEC 3 hash functions written again from the text, independent of engine/hash.hpp.
std::uint64_t spec_fnv1a64(const std::string& bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}
std::uint64_t spec_splitmix64(std::uint64_t x) {
  std::uint64_t z = x + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// ===================================================================== rates

TEST(RateRatio, FloorOfTheExactProduct) {
  auto run = simulate(R"({"pools": [{"id": "r", "budget": "1000000", "match": {"ratio": "1.74"}}]})",
                      donations({{"d1", "u", "p", "10.01"}, {"d2", "u", "p", "0.01"}, {"d3", "u", "p", "0.57"},
                                 {"d4", "u", "p", "100"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "d1,r,17.41,17.41,none",    // 1001 * 1.74 = 1741.74 -> 1741
                               "d2,r,0.01,0.01,none",      // 1 * 1.74 = 1.74 -> 1
                               "d3,r,0.99,0.99,none",      // 57 * 1.74 = 99.18 -> 99
                               "d4,r,174.00,174.00,none",  // 10000 * 1.74 = 17400
                           }));
}

TEST(RateRatio, NoBinaryFloatRounding) {
  auto run = simulate(R"({"pools": [{"id": "r", "budget": "1000000", "match": {"ratio": "0.333333"}}]})",
                      donations({{"d1", "u", "p", "0.03"}, {"d2", "u", "p", "0.06"}, {"d3", "u", "p", "3"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "d1,r,0.00,0.00,none",  // 3 * 0.333333 = 0.999999 -> 0
                               "d2,r,0.01,0.01,none",  // 6 * 0.333333 = 1.999998 -> 1
                               "d3,r,0.99,0.99,none",  // 300 * 0.333333 = 99.9999 -> 99
                           }));
}

TEST(RateTiers, MarginalBandsWithAnOpenEndedLastBand) {
  auto run = simulate(R"({"pools": [{"id": "t", "budget": "1000000", "match": {"tiers": [
                          {"up_to": "100", "ratio": "1"}, {"up_to": "500", "ratio": "0.5"}, {"ratio": "0.1"}]}}]})",
                      donations({{"t1", "u", "p", "50"}, {"t2", "u", "p", "100"}, {"t3", "u", "p", "300"},
                                 {"t4", "u", "p", "1000"}, {"t5", "u", "p", "100.01"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "t1,t,50.00,50.00,none",     // 50 * 1
                               "t2,t,100.00,100.00,none",   // 100 * 1, the band's upper end included
                               "t3,t,200.00,200.00,none",   // 100 * 1 + 200 * 0.5
                               "t4,t,350.00,350.00,none",   // 100 + 400 * 0.5 + 500 * 0.1
                               "t5,t,100.00,100.00,none",   // 10000 + 1 * 0.5 = 10000.5 -> 10000 minor
                           }));
}

TEST(RateTiers, WithoutAnOpenBandTheRestGetsRatioZero) {
  auto run = simulate(R"({"pools": [{"id": "t", "budget": "1000000", "match": {"tiers": [
                          {"up_to": "100", "ratio": "1"}, {"up_to": "200", "ratio": "0.5"}]}}]})",
                      donations({{"a", "u", "p", "80"}, {"b", "u", "p", "150"}, {"c", "u", "p", "200"},
                                 {"d", "u", "p", "500"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "a,t,80.00,80.00,none",    // 80 * 1
                               "b,t,125.00,125.00,none",  // 100 + 50 * 0.5
                               "c,t,150.00,150.00,none",  // 100 + 100 * 0.5
                               "d,t,150.00,150.00,none",  // 100 + 100 * 0.5 + 300 * 0
                           }));
}

TEST(RateTiers, OneFloorAtTheEndNotOnePerBand) {
  auto run = simulate(R"({"pools": [{"id": "t", "budget": "1000000", "match": {"tiers": [
                          {"up_to": "0.01", "ratio": "0.7"}, {"up_to": "0.03", "ratio": "0.5"}, {"ratio": "0.5"}]}}]})",
                      donations({{"a", "u", "p", "0.02"}, {"b", "u", "p", "0.06"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               // 1 * 0.7 + 1 * 0.5 = 1.2 -> 1 (per band floors: 0 + 0 = 0)
                               "a,t,0.01,0.01,none",
                               // 0.7 + 2 * 0.5 + 3 * 0.5 = 3.2 -> 3 (per band floors: 0 + 1 + 1 = 2)
                               "b,t,0.03,0.03,none",
                           }));
}

TEST(RateRandom, GridIndexFollowsTheSpecFormula) {
  // Grid 1, 1.5, 2, 2.5, 3 (N = 5); index = splitmix64(2017 ^ fnv1a64("r") ^ fnv1a64(id)) mod 5.
  // Worked out separately from the SPEC 3 formulas: d1..d8 get indices 3,0,1,3,3,0,3,1,
  // so ratios 2.5, 1, 1.5, 2.5, 2.5, 1, 2.5, 1.5 of 100.00.
  const std::string rules =
      R"({"seed": 2017, "pools": [{"id": "r", "budget": "1000000", "match": {"random": {"min": "1", "max": "3", "step": "0.5"}}}]})";
  std::vector<std::tuple<std::string, std::string, std::string, std::string>> rows;
  for (int i = 1; i <= 8; ++i) rows.emplace_back("d" + std::to_string(i), "u", "p", "100");
  auto run = simulate(rules, donations(rows));
  EXPECT_EQ(run->ledger(), (Lines{
                               "d1,r,250.00,250.00,none",
                               "d2,r,100.00,100.00,none",
                               "d3,r,150.00,150.00,none",
                               "d4,r,250.00,250.00,none",
                               "d5,r,250.00,250.00,none",
                               "d6,r,100.00,100.00,none",
                               "d7,r,250.00,250.00,none",
                               "d8,r,150.00,150.00,none",
                           }));
  // The same, derived in the test from the formula for more ids, and another seed.
  for (std::uint64_t seed : {0ull, 2017ull, 9223372036854775807ull}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::vector<std::tuple<std::string, std::string, std::string, std::string>> many;
    Lines expected;
    for (int i = 0; i < 40; ++i) {
      std::string id = "gift-" + std::to_string(i * 7919);
      many.emplace_back(id, "u", "p", "100");
      std::uint64_t index = spec_splitmix64(seed ^ spec_fnv1a64("r") ^ spec_fnv1a64(id)) % 5;
      std::string base = format_amount(static_cast<Minor>(10000 * (10 + 5 * index) / 10), 2);  // 100 * (1 + 0.5 i)
      expected.push_back(id + ",r," + base + "," + base + ",none");
    }
    std::string seeded =
        R"({"seed": )" + std::to_string(seed) +
        R"(, "pools": [{"id": "r", "budget": "1000000", "match": {"random": {"min": "1", "max": "3", "step": "0.5"}}}]})";
    EXPECT_EQ(simulate(seeded, donations(many))->ledger(), expected);
  }
}

TEST(RateRandom, HashFunctionsMatchKnownValues) {
  // Published FNV-1a 64 test vectors and SplitMix64's first output from state 0.
  EXPECT_EQ(spec_fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(spec_fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(spec_fnv1a64("foobar"), 0x85944171f73967e8ull);
  EXPECT_EQ(spec_splitmix64(0), 0xe220a8397b1dcdafull);
}

TEST(RateRandom, SinglePointGridWithStepZero) {
  auto run = simulate(
      R"({"pools": [{"id": "r", "budget": "1000000", "match": {"random": {"min": "1.5", "max": "1.5", "step": "0"}}}]})",
      donations({{"a", "u", "p", "10"}, {"b", "u", "p", "0.03"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "a,r,15.00,15.00,none",  // 1000 * 1.5
                               "b,r,0.04,0.04,none",    // 3 * 1.5 = 4.5 -> 4
                           }));
}

TEST(RateFixed, SameBaseForEveryEligibleDonation) {
  auto run = simulate(R"({"pools": [{"id": "f", "budget": "1000", "match": {"fixed": "2.50"}},
                                    {"id": "z", "budget": "1000", "match": {"fixed": "0"}}]})",
                      donations({{"a", "u", "p", "0.01"}, {"b", "u", "p", "1000"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "a,f,2.50,2.50,none",  // fixed, even above the amount
                               "a,z,0.00,0.00,none",  // fixed 0: a row, grant 0
                               "b,f,2.50,2.50,none",
                               "b,z,0.00,0.00,none",
                           }));
  EXPECT_EQ(run->pool("f").grants, 2u);
  EXPECT_EQ(run->pool("z").grants, 0u);  // grants counts only grants > 0
}

// =============================================================== eligibility

constexpr const char* kProjects =
    "project,category,org\n"
    "p1,edu,o1\n"
    "p2,health,o1\n"
    "p4,,o2\n";  // p3 is not listed

TEST(Eligibility, ProjectCategoryAndOrgLists) {
  const std::string rules = R"({"pools": [
      {"id": "proj", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"projects": ["p1", "p3"]}},
      {"id": "none", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"projects": []}},
      {"id": "excl0", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"exclude_projects": []}},
      {"id": "excl", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"exclude_projects": ["p1"]}},
      {"id": "cat", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"categories": ["edu"]}},
      {"id": "nocat", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"categories": [""]}},
      {"id": "nocats", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"categories": []}},
      {"id": "org", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"orgs": ["o2"]}},
      {"id": "noorgs", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"orgs": []}}]})";
  auto run = simulate(rules, donations({{"a", "u", "p1", "1"}, {"b", "u", "p2", "1"}, {"c", "u", "p3", "1"},
                                        {"d", "u", "p4", "1"}}),
                      kProjects);
  EXPECT_EQ(run->ledger(), (Lines{
                               // p1 (edu, o1): listed, not excluded by [], edu.
                               "a,proj,1.00,1.00,none",
                               "a,excl0,1.00,1.00,none",
                               "a,cat,1.00,1.00,none",
                               // p2 (health, o1): only the exclusion pools.
                               "b,excl0,1.00,1.00,none",
                               "b,excl,1.00,1.00,none",
                               // p3 (unlisted: category "" and org ""): listed by proj, matches [""].
                               "c,proj,1.00,1.00,none",
                               "c,excl0,1.00,1.00,none",
                               "c,excl,1.00,1.00,none",
                               "c,nocat,1.00,1.00,none",
                               // p4 (category "", org o2).
                               "d,excl0,1.00,1.00,none",
                               "d,excl,1.00,1.00,none",
                               "d,nocat,1.00,1.00,none",
                               "d,org,1.00,1.00,none",
                           }));
}

TEST(Eligibility, NamesMatchLiterally) {
  // "P1" is another project than "p1"; categories compare case-sensitively.
  const std::string rules = R"({"pools": [
      {"id": "a", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"projects": ["p1"]}},
      {"id": "b", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"categories": ["Edu"]}}]})";
  auto run = simulate(rules, donations({{"x", "u", "P1", "1"}, {"y", "u", "p1", "1"}}), kProjects);
  EXPECT_EQ(run->ledger(), (Lines{"y,a,1.00,1.00,none"}));
}

TEST(Eligibility, Channels) {
  const std::string rules = R"({"pools": [
      {"id": "coins", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"channels": ["coins"]}},
      {"id": "cash", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"channels": ["cash"]}},
      {"id": "Cash", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"channels": ["Cash"]}},
      {"id": "none", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"channels": []}}]})";
  auto with = simulate(rules,
                       "id,time,donor,project,amount,channel\n"
                       "a,2017-09-07T09:00:00Z,u,p,1,coins\n"
                       "b,2017-09-07T09:00:00Z,u,p,1,\n"
                       "c,2017-09-07T09:00:00Z,u,p,1,cash\n"
                       "d,2017-09-07T09:00:00Z,u,p,1,Cash\n");
  EXPECT_EQ(with->ledger(), (Lines{
                                "a,coins,1.00,1.00,none",
                                "b,cash,1.00,1.00,none",  // empty channel is cash
                                "c,cash,1.00,1.00,none",
                                "d,Cash,1.00,1.00,none",  // literal: not cash
                            }));
  // Without a channel column every donation is cash.
  auto without = simulate(rules, donations({{"e", "u", "p", "1"}}));
  EXPECT_EQ(without->ledger(), (Lines{"e,cash,1.00,1.00,none"}));
}

TEST(Eligibility, MinDonationAndAllConditionsTogether) {
  const std::string rules = R"({"pools": [
      {"id": "min", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"min_donation": "10"}},
      {"id": "both", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"min_donation": "10", "projects": ["p1"]}}]})";
  auto run = simulate(rules, donations({{"a", "u", "p1", "9.99"}, {"b", "u", "p1", "10"}, {"c", "u", "p2", "10.01"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "b,min,10.00,10.00,none",  // 10 >= 10
                               "b,both,10.00,10.00,none",
                               "c,min,10.01,10.01,none",  // p2 is not listed by "both"
                           }));
}

// ============================================================ time conditions

TEST(Windows, HalfOpenBoundariesInUtc) {
  // Window 1 is [2017-09-06T16:00Z, 2017-09-09T16:00Z), written at +08:00; window 2 [Sep 20, Sep 21) Z.
  const std::string rules = R"({"pools": [
      {"id": "w", "budget": "1000", "match": {"ratio": "1"},
       "windows": [{"start": "2017-09-07T00:00:00+08:00", "end": "2017-09-10T00:00:00+08:00"},
                   {"start": "2017-09-20T00:00:00Z", "end": "2017-09-21T00:00:00Z"}]},
      {"id": "never", "budget": "1000", "match": {"ratio": "1"}, "windows": []}]})";
  auto run = simulate(rules, std::string(kHeader) +
                                 "w1,2017-09-06T15:59:59.999999Z,u,p,1\n"       // 1 us before start: no
                                 "w2,2017-09-06T16:00:00Z,u,p,1\n"              // start exactly: yes
                                 "w3,2017-09-09T23:59:59.999999+08:00,u,p,1\n"  // 1 us before end: yes
                                 "w4,2017-09-10T00:00:00+08:00,u,p,1\n"         // end exactly: no
                                 "w5,2017-09-09T16:00:00Z,u,p,1\n"              // end written as Z: no
                                 "w6,2017-09-20T12:00:00Z,u,p,1\n"              // second window: yes
                                 "w7,2017-09-07T00:00:00Z,u,p,1\n");            // earlier time, later row: yes
  EXPECT_EQ(run->ledger(), (Lines{"w2,w,1.00,1.00,none", "w3,w,1.00,1.00,none", "w6,w,1.00,1.00,none",
                                  "w7,w,1.00,1.00,none"}));
}

TEST(DailyHours, LocalTimeUsesTheRulesOffset) {
  // utc_offset -05:00: local = UTC - 5h. "day" is [09:00, 17:00); "late" is
  // [23:00, 24:00) plus [00:00, 00:30).
  const std::string rules = R"({"utc_offset": "-05:00", "pools": [
      {"id": "day", "budget": "1000", "match": {"ratio": "1"}, "daily_hours": [{"from": "09:00", "to": "17:00"}]},
      {"id": "late", "budget": "1000", "match": {"ratio": "1"},
       "daily_hours": [{"from": "23:00", "to": "24:00"}, {"from": "00:00", "to": "00:30"}]}]})";
  auto run = simulate(rules, std::string(kHeader) +
                                 "h1,2017-09-07T14:00:00Z,u,p,1\n"         // local 09:00: day
                                 "h2,2017-09-07T13:59:59Z,u,p,1\n"         // 08:59:59: none
                                 "h3,2017-09-07T21:59:59.999999Z,u,p,1\n"  // 16:59:59.999999: day
                                 "h4,2017-09-07T22:00:00Z,u,p,1\n"         // 17:00: none
                                 "h5,2017-09-07T22:00:00+08:00,u,p,1\n"    // 14:00Z = 09:00 local: day
                                 "h6,2017-09-08T04:00:00Z,u,p,1\n"         // 23:00: late
                                 "h7,2017-09-08T04:59:59.999999Z,u,p,1\n"  // 23:59:59.999999: late
                                 "h8,2017-09-08T05:00:00Z,u,p,1\n"         // 00:00: late (second range)
                                 "h9,2017-09-08T05:30:00Z,u,p,1\n"         // 00:30: none
                                 "h10,1969-12-31T14:00:00Z,u,p,1\n");      // before 1970, 09:00 local: day
  EXPECT_EQ(run->ledger(), (Lines{"h1,day,1.00,1.00,none", "h3,day,1.00,1.00,none", "h5,day,1.00,1.00,none",
                                  "h6,late,1.00,1.00,none", "h7,late,1.00,1.00,none", "h8,late,1.00,1.00,none",
                                  "h10,day,1.00,1.00,none"}));
}

TEST(DailyHours, SecondsAndPlusFourteen) {
  // +14:00: 2017-09-07T09:59:59Z is 23:59:59 local; the range is [23:59:58, 24:00:00).
  const std::string rules = R"({"utc_offset": "+14:00", "pools": [
      {"id": "d", "budget": "1000", "match": {"ratio": "1"}, "daily_hours": [{"from": "23:59:58", "to": "24:00:00"}]}]})";
  auto run = simulate(rules, std::string(kHeader) +
                                 "a,2017-09-07T09:59:57.999999Z,u,p,1\n"  // 23:59:57.999999: no
                                 "b,2017-09-07T09:59:58Z,u,p,1\n"         // 23:59:58: yes
                                 "c,2017-09-07T09:59:59.999999Z,u,p,1\n"  // yes
                                 "d,2017-09-07T10:00:00Z,u,p,1\n");       // 00:00 next day: no
  EXPECT_EQ(run->ledger(), (Lines{"b,d,1.00,1.00,none", "c,d,1.00,1.00,none"}));
}

// ================================================================== releases

TEST(Releases, UnlockedAtExactlyAt) {
  // Budget 100 in two tranches, listed out of order: 30 at 10:00Z, 70 at 12:00Z (20:00+08:00).
  const std::string rules = R"({"pools": [{"id": "p", "budget": "100", "match": {"ratio": "1"},
      "releases": [{"at": "2017-09-07T20:00:00+08:00", "amount": "70"}, {"at": "2017-09-07T10:00:00Z", "amount": "30"}]}]})";
  auto run = simulate(rules, std::string(kHeader) +
                                 "r1,2017-09-07T09:59:59.999999Z,u,p,10\n"
                                 "r2,2017-09-07T10:00:00Z,u,p,50\n"
                                 "r3,2017-09-07T11:00:00Z,u,p,5\n"
                                 "r4,2017-09-07T12:00:00Z,u,p,100\n"
                                 "r5,2017-09-07T09:00:00Z,u,p,1\n");
  EXPECT_EQ(run->ledger(), (Lines{
                               "r1,p,10.00,0.00,pool",     // nothing unlocked yet
                               "r2,p,50.00,30.00,pool",    // 30 unlocked at exactly 10:00
                               "r3,p,5.00,0.00,pool",      // 30 - 30
                               "r4,p,100.00,70.00,pool",   // 100 unlocked at exactly 12:00, minus 30
                               "r5,p,1.00,0.00,pool",      // unlocked(09:00) = 0 < granted 100: clamped at 0
                           }));
  EXPECT_EQ(run->summary()["pools"][0]["exhausted_at"], "2017-09-07T12:00:00Z");
}

TEST(Releases, GrantedSoFarCountsGrantsWhateverTheirTimes) {
  const std::string rules = R"({"pools": [{"id": "p", "budget": "100", "match": {"ratio": "1"},
      "releases": [{"at": "2017-09-07T10:00:00Z", "amount": "30"}, {"at": "2017-09-07T12:00:00Z", "amount": "70"}]}]})";
  auto run = simulate(rules, std::string(kHeader) +
                                 "s1,2017-09-07T12:00:00Z,u,p,80\n"  // unlocked 100: 80
                                 "s2,2017-09-07T10:30:00Z,u,p,10\n"  // unlocked 30 - granted 80 < 0: 0
                                 "s3,2017-09-07T13:00:00Z,u,p,50\n"  // 100 - 80 = 20
  );
  EXPECT_EQ(run->ledger(), (Lines{"s1,p,80.00,80.00,none", "s2,p,10.00,0.00,pool", "s3,p,50.00,20.00,pool"}));
}

// ====================================================================== caps

TEST(CapPerDonation, LimitsEachGrant) {
  auto run = simulate(one_pool(R"(, "caps": {"per_donation": "5"})"),
                      donations({{"c1", "u", "p", "3"}, {"c2", "u", "p", "8"}, {"c3", "u", "p", "5"}}));
  EXPECT_EQ(run->ledger(), (Lines{"c1,p,3.00,3.00,none", "c2,p,8.00,5.00,per_donation", "c3,p,5.00,5.00,none"}));
}

TEST(CapPerDonor, CampaignPeriod) {
  auto run = simulate(one_pool(R"(, "caps": {"per_donor": {"amount": "10"}})"),
                      donations({{"d1", "u1", "p", "6"}, {"d2", "u1", "p", "6"}, {"d3", "u1", "p", "6"},
                                 {"d4", "u2", "p", "6"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "d1,p,6.00,6.00,none",
                               "d2,p,6.00,4.00,per_donor",  // 10 - 6
                               "d3,p,6.00,0.00,per_donor",  // a row with grant 0
                               "d4,p,6.00,6.00,none",       // another donor
                           }));
}

// Counters of caps whose limit fits int32 minor units are kept in 4 bytes
// (a counter never passes its limit). At the edge: a per-donor limit of
// 21474836.47 = 2^31 - 1 minor units fills exactly; one of 21474836.48 must
// count past int32 (a narrow counter would wrap and grant again).
TEST(CapPerDonor, CountersAtTheInt32Edge) {
  const std::string rows = std::string(kHeader) + "a1," + kT + ",u,p,20000000\n" + "a2," + kT + ",u,p,1474836.47\n" +
                           "a3," + kT + ",u,p,5\n" + "a4," + kT + ",u,p,5\n";
  auto at_max = simulate(one_pool(R"(, "caps": {"per_donor": {"amount": "21474836.47"}})", "", "90000000"), rows);
  EXPECT_EQ(at_max->ledger(), (Lines{"a1,p,20000000.00,20000000.00,none", "a2,p,1474836.47,1474836.47,none",
                                     "a3,p,5.00,0.00,per_donor", "a4,p,5.00,0.00,per_donor"}));
  auto past_max = simulate(one_pool(R"(, "caps": {"per_donor": {"amount": "21474836.48"}})", "", "90000000"), rows);
  EXPECT_EQ(past_max->ledger(), (Lines{"a1,p,20000000.00,20000000.00,none", "a2,p,1474836.47,1474836.47,none",
                                       "a3,p,5.00,0.01,per_donor", "a4,p,5.00,0.00,per_donor"}));
  EXPECT_EQ(past_max->pool("p").granted, Minor{2147483648});
}

TEST(CapPerDonor, DayPeriodFollowsTheLocalDayOfEachDonation) {
  // utc_offset -03:00: the local day changes at 03:00Z.
  auto run = simulate(one_pool(R"(, "caps": {"per_donor": {"amount": "10", "per": "day"}})", R"("utc_offset": "-03:00",)"),
                      std::string(kHeader) +
                          "e1,2017-09-08T02:59:59Z,u1,p,8\n"       // local Sep 7 23:59:59: 8
                          "e2,2017-09-08T03:00:00Z,u1,p,8\n"       // local Sep 8 00:00: new day, 8
                          "e3,2017-09-07T12:00:00Z,u1,p,8\n"       // Sep 7 again: 10 - 8 = 2
                          "e4,2017-09-08T10:00:00+08:00,u1,p,8\n"  // 02:00Z = Sep 7 23:00 local: 0
                          "e5,2017-09-08T20:00:00-03:00,u1,p,8\n"  // Sep 8: 10 - 8 = 2
                          "e6,2017-09-08T02:00:00Z,u2,p,8\n");     // another donor: 8
  EXPECT_EQ(run->ledger(), (Lines{"e1,p,8.00,8.00,none", "e2,p,8.00,8.00,none", "e3,p,8.00,2.00,per_donor",
                                  "e4,p,8.00,0.00,per_donor", "e5,p,8.00,2.00,per_donor", "e6,p,8.00,8.00,none"}));
}

TEST(CapPerDonor, DayPeriodBeforeNineteenSeventy) {
  // At -03:00, 1969-12-31T20:00Z and 1970-01-01T02:59:59Z are both local Dec 31 (day -1).
  auto run = simulate(one_pool(R"(, "caps": {"per_donor": {"amount": "10", "per": "day"}})", R"("utc_offset": "-03:00",)"),
                      std::string(kHeader) +
                          "a,1969-12-31T20:00:00Z,u,p,8\n"
                          "b,1970-01-01T02:59:59Z,u,p,8\n"   // same local day: 2
                          "c,1970-01-01T03:00:00Z,u,p,8\n");  // local Jan 1 (day 0): 8
  EXPECT_EQ(run->ledger(), (Lines{"a,p,8.00,8.00,none", "b,p,8.00,2.00,per_donor", "c,p,8.00,8.00,none"}));
}

TEST(CapPerDonorCount, CountsOnlyGrantsAboveZero) {
  // Ratio 0.5: 0.01 has base floor(0.5) = 0, a row with grant 0 that does not count.
  auto run = simulate(R"({"pools": [{"id": "p", "budget": "10000", "match": {"ratio": "0.5"},
                          "caps": {"per_donor_count": {"count": 2}}}]})",
                      donations({{"f1", "u1", "p", "0.01"}, {"f2", "u1", "p", "10"}, {"f3", "u1", "p", "0.01"},
                                 {"f4", "u1", "p", "10"}, {"f5", "u1", "p", "10"}, {"f6", "u2", "p", "10"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "f1,p,0.00,0.00,none",             // grant 0: count stays 0
                               "f2,p,5.00,5.00,none",             // count 1
                               "f3,p,0.00,0.00,none",             // grant 0: count stays 1
                               "f4,p,5.00,5.00,none",             // count 2
                               "f5,p,5.00,0.00,per_donor_count",  // count reached
                               "f6,p,5.00,5.00,none",             // another donor
                           }));
}

TEST(CapPerDonorCount, GrantsCappedToZeroByAnotherLimitDoNotCount) {
  // count 1 per donor and 5 per project. g2 is cut to 0 by per_project and must
  // not use u1's single count, so g3 (another project) is still granted.
  auto run = simulate(one_pool(R"(, "caps": {"per_donor_count": {"count": 1}, "per_project": {"amount": "5"}})"),
                      donations({{"g1", "u2", "p1", "5"}, {"g2", "u1", "p1", "5"}, {"g3", "u1", "p2", "5"},
                                 {"g4", "u1", "p3", "5"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "g1,p,5.00,5.00,none",             // p1 now at 5
                               "g2,p,5.00,0.00,per_project",      // p1 full: grant 0, u1 count stays 0
                               "g3,p,5.00,5.00,none",             // u1 count 1
                               "g4,p,5.00,0.00,per_donor_count",  // u1 count reached
                           }));
  EXPECT_EQ(run->pool("p").grants, 2u);
}

TEST(CapPerDonorCount, DayPeriodAndCountZero) {
  auto run = simulate(R"({"pools": [
      {"id": "day", "budget": "10000", "match": {"ratio": "1"}, "caps": {"per_donor_count": {"count": 1, "per": "day"}}},
      {"id": "zero", "budget": "10000", "match": {"ratio": "1"}, "caps": {"per_donor_count": {"count": 0}}}]})",
                      std::string(kHeader) +
                          "a,2017-09-07T00:00:00Z,u,p,1\n"
                          "b,2017-09-07T23:59:59.999999Z,u,p,1\n"  // same UTC day
                          "c,2017-09-08T00:00:00Z,u,p,1\n");       // next day
  EXPECT_EQ(run->ledger(), (Lines{
                               "a,day,1.00,1.00,none",
                               "a,zero,1.00,0.00,per_donor_count",  // count 0: never
                               "b,day,1.00,0.00,per_donor_count",
                               "b,zero,1.00,0.00,per_donor_count",
                               "c,day,1.00,1.00,none",
                               "c,zero,1.00,0.00,per_donor_count",
                           }));
}

TEST(CapPerDonorProject, PerPair) {
  auto run = simulate(one_pool(R"(, "caps": {"per_donor_project": {"amount": "10"}})"),
                      donations({{"a", "u1", "p1", "8"}, {"b", "u1", "p2", "8"}, {"c", "u1", "p1", "8"},
                                 {"d", "u2", "p1", "8"}}));
  EXPECT_EQ(run->ledger(), (Lines{"a,p,8.00,8.00,none", "b,p,8.00,8.00,none", "c,p,8.00,2.00,per_donor_project",
                                  "d,p,8.00,8.00,none"}));
}

TEST(CapPerProject, AmountWithOverrides) {
  auto run = simulate(
      one_pool(R"(, "caps": {"per_project": {"amount": "10", "overrides": {"p2": "3", "p3": "0", "p9": "1"}}})"),
      donations({{"j1", "u", "p1", "8"}, {"j2", "u", "p1", "8"}, {"j3", "u", "p2", "5"}, {"j4", "u", "p3", "5"},
                 {"j5", "u", "p4", "5"}, {"j6", "u", "p2", "1"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "j1,p,8.00,8.00,none",
                               "j2,p,8.00,2.00,per_project",  // 10 - 8
                               "j3,p,5.00,3.00,per_project",  // override 3
                               "j4,p,5.00,0.00,per_project",  // override 0
                               "j5,p,5.00,5.00,none",         // the amount 10 applies
                               "j6,p,1.00,0.00,per_project",  // 3 - 3
                           }));
}

TEST(CapPerProject, OverridesWithoutAmountLeaveOthersUncapped) {
  auto run = simulate(one_pool(R"(, "caps": {"per_project": {"overrides": {"p2": "3"}}})"),
                      donations({{"k1", "u", "p1", "50"}, {"k2", "u", "p1", "50"}, {"k3", "u", "p2", "5"},
                                 {"k4", "u", "p2", "5"}}));
  EXPECT_EQ(run->ledger(), (Lines{"k1,p,50.00,50.00,none", "k2,p,50.00,50.00,none", "k3,p,5.00,3.00,per_project",
                                  "k4,p,5.00,0.00,per_project"}));
}

TEST(CapPerProject, DayPeriodAcrossTheLocalMidnight) {
  // +08:00: the local day changes at 16:00Z.
  auto run = simulate(one_pool(R"(, "caps": {"per_project": {"amount": "10", "per": "day", "overrides": {"p2": "4"}}})",
                               R"("utc_offset": "+08:00",)"),
                      std::string(kHeader) +
                          "q1,2017-09-07T15:59:59Z,u,p1,10\n"  // Sep 7 23:59:59 local: 10
                          "q2,2017-09-07T16:00:00Z,u,p1,10\n"  // Sep 8 00:00 local: 10
                          "q3,2017-09-07T00:00:00Z,u,p1,10\n"  // Sep 7 08:00 local: 0
                          "q4,2017-09-07T15:00:00Z,u,p2,3\n"   // Sep 7, override 4: 3
                          "q5,2017-09-07T17:00:00Z,u,p2,3\n"   // Sep 8: 3
                          "q6,2017-09-07T01:00:00Z,u,p2,3\n");  // Sep 7: 4 - 3 = 1
  EXPECT_EQ(run->ledger(), (Lines{"q1,p,10.00,10.00,none", "q2,p,10.00,10.00,none", "q3,p,10.00,0.00,per_project",
                                  "q4,p,3.00,3.00,none", "q5,p,3.00,3.00,none", "q6,p,3.00,1.00,per_project"}));
}

TEST(CapPerOrg, SharedByTheOrgsProjectsAndEmptyOrgUncapped) {
  const std::string projects =
      "project,org\n"
      "p1,o1\n"
      "p2,o1\n"
      "p3,\n"
      "p5,o2\n";  // p4 unlisted
  auto run = simulate(one_pool(R"(, "caps": {"per_org": {"amount": "10"}})"),
                      donations({{"o1", "u", "p1", "8"}, {"o2", "u", "p2", "8"}, {"o3", "u", "p3", "50"},
                                 {"o4", "u", "p4", "50"}, {"o5", "u", "p5", "8"}, {"o6", "u", "p3", "50"}}),
                      projects);
  EXPECT_EQ(run->ledger(), (Lines{
                               "o1,p,8.00,8.00,none",
                               "o2,p,8.00,2.00,per_org",  // o1 shared with p1: 10 - 8
                               "o3,p,50.00,50.00,none",   // empty org: uncapped
                               "o4,p,50.00,50.00,none",   // unlisted: empty org
                               "o5,p,8.00,8.00,none",     // o2
                               "o6,p,50.00,50.00,none",   // still uncapped
                           }));
}

TEST(CapPerOrg, DayPeriod) {
  auto run = simulate(one_pool(R"(, "caps": {"per_org": {"amount": "10", "per": "day"}})", R"("utc_offset": "+01:00",)"),
                      std::string(kHeader) +
                          "a,2017-09-07T22:59:59Z,u,p1,8\n"   // Sep 7 local
                          "b,2017-09-07T23:00:00Z,u,p2,8\n"   // Sep 8 local: fresh 10
                          "c,2017-09-07T12:00:00Z,u,p2,8\n",  // Sep 7: 10 - 8 = 2
                      "project,org\np1,o\np2,o\n");
  EXPECT_EQ(run->ledger(), (Lines{"a,p,8.00,8.00,none", "b,p,8.00,8.00,none", "c,p,8.00,2.00,per_org"}));
}

TEST(CapsAndPools, MaxTotalRatioAcrossPools) {
  const std::string rules = R"({"max_total_ratio": "1.5", "pools": [
      {"id": "a", "budget": "1000", "match": {"ratio": "1"}},
      {"id": "x", "budget": "1000", "match": {"ratio": "1"}, "eligible": {"projects": []}},
      {"id": "b", "budget": "1000", "match": {"ratio": "1"}}]})";
  auto run = simulate(rules, donations({{"m1", "u", "p", "10"}, {"m2", "u", "p", "0.03"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "m1,a,10.00,10.00,none",
                               "m1,b,10.00,5.00,max_total_ratio",  // floor(1000 * 1.5) - 1000 = 500
                               "m2,a,0.03,0.03,none",
                               "m2,b,0.03,0.01,max_total_ratio",  // floor(3 * 1.5) = 4; 4 - 3 = 1
                           }));
}

// The first pool tried for a donation follows no grant, so max_total_ratio
// binds there only when its rate can pass it: ratio 2, tiers whose last band
// is 3, a random grid whose top point is 2, each alone under 1.5.
TEST(CapsAndPools, MaxTotalRatioInTheFirstPoolTried) {
  auto alone = [](const std::string& match, const std::string& amount, const std::string& id = "a") {
    const std::string rules = R"({"max_total_ratio": "1.5", "pools": [{"id": "p", "budget": "1000", "match": )" +
                              match + "}]}";
    return simulate(rules, donations({{id, "u", "p", amount}}))->ledger();
  };
  EXPECT_EQ(alone(R"({"ratio": "2"})", "10"), (Lines{"a,p,20.00,15.00,max_total_ratio"}));
  EXPECT_EQ(alone(R"({"ratio": "1.5"})", "10"), (Lines{"a,p,15.00,15.00,none"}));
  // 5 * 1 + 5 * 3 = 20 over floor(10 * 1.5) = 15; 4 * 1 = 4 under 6.
  EXPECT_EQ(alone(R"({"tiers": [{"up_to": "5", "ratio": "1"}, {"ratio": "3"}]})", "10"),
            (Lines{"a,p,20.00,15.00,max_total_ratio"}));
  EXPECT_EQ(alone(R"({"tiers": [{"up_to": "5", "ratio": "1"}, {"ratio": "3"}]})", "4"), (Lines{"a,p,4.00,4.00,none"}));
  // Grid 1, 1.5, 2 (seed 0): the id's index picks the ratio; only 2 passes 1.5.
  const std::string grid = R"({"random": {"min": "1", "max": "2", "step": "0.5"}})";
  for (int i = 0; i < 12; ++i) {
    const std::string id = "g" + std::to_string(i);
    const std::uint64_t index = spec_splitmix64(spec_fnv1a64("p") ^ spec_fnv1a64(id)) % 3;
    const std::string row = index == 2   ? id + ",p,20.00,15.00,max_total_ratio"
                            : index == 1 ? id + ",p,15.00,15.00,none"
                                         : id + ",p,10.00,10.00,none";
    EXPECT_EQ(alone(grid, "10", id), (Lines{row})) << "index " << index;
  }
}

TEST(CapsAndPools, MaxTotalRatioZero) {
  auto run = simulate(one_pool("", R"("max_total_ratio": "0",)"), donations({{"a", "u", "p", "10"}}));
  EXPECT_EQ(run->ledger(), (Lines{"a,p,10.00,0.00,max_total_ratio"}));
}

TEST(CapsAndPools, MaxTotalRatioHeadroomAboveSixtyFourBits) {
  // minor_units 0; floor(amount * 9223372036854.775807) is about 8.5e31, far
  // above int64: compared exactly, it limits nothing. base = amount * 1 = INT64_MAX.
  auto run = simulate(R"({"minor_units": 0, "max_total_ratio": "9223372036854.775807", "pools": [
      {"id": "p", "budget": "9223372036854775807", "match": {"ratio": "1"}}]})",
                      donations({{"a", "u", "p", "9223372036854775807"}}));
  EXPECT_EQ(run->ledger(), (Lines{"a,p,9223372036854775807,9223372036854775807,none"}));
}

TEST(CapsAndPools, StackFalse) {
  // A: ratio 1, budget 10, only p1. B: stack false, ratio 2.
  const std::string rules = R"({"pools": [
      {"id": "A", "budget": "10", "match": {"ratio": "1"}, "eligible": {"projects": ["p1"]}},
      {"id": "B", "budget": "1000", "stack": false, "match": {"ratio": "2"}}]})";
  auto run = simulate(rules, donations({{"s1", "u", "p1", "10"}, {"s2", "u", "p2", "10"}, {"s3", "u", "p1", "5"}}));
  EXPECT_EQ(run->ledger(), (Lines{
                               "s1,A,10.00,10.00,none",  // A granted > 0: B is not eligible, no row
                               "s2,B,20.00,20.00,none",  // A not eligible
                               "s3,A,5.00,0.00,pool",    // A granted 0 ...
                               "s3,B,10.00,10.00,none",  // ... so B is eligible
                           }));
}

TEST(CapsAndPools, StackFalseFirstInTryOrderIsAlwaysTried) {
  const std::string rules = R"({"pools": [
      {"id": "late", "budget": "1000", "priority": 1, "stack": false, "match": {"ratio": "1"}},
      {"id": "first", "budget": "1000", "stack": false, "match": {"ratio": "1"}}]})";
  auto run = simulate(rules, donations({{"a", "u", "p", "1"}}));
  EXPECT_EQ(run->ledger(), (Lines{"a,first,1.00,1.00,none"}));
}

TEST(CapsAndPools, PriorityThenFileOrder) {
  // Try order: b (-1), a (0, first in the file among 0s), m (0), z (1).
  const std::string rules = R"({"pools": [
      {"id": "z", "budget": "1000", "priority": 1, "match": {"ratio": "1"}},
      {"id": "a", "budget": "1000", "match": {"ratio": "1"}},
      {"id": "m", "budget": "1000", "priority": 0, "match": {"ratio": "1"}},
      {"id": "b", "budget": "5", "priority": -1, "match": {"ratio": "1"}}]})";
  auto run = simulate(rules, donations({{"d", "u", "p", "10"}}));
  EXPECT_EQ(run->ledger(), (Lines{"d,b,10.00,5.00,pool", "d,a,10.00,10.00,none", "d,m,10.00,10.00,none",
                                  "d,z,10.00,10.00,none"}));
  // The summary lists pools in rules file order.
  nlohmann::json summary = run->summary();
  ASSERT_EQ(summary["pools"].size(), 4u);
  EXPECT_EQ(summary["pools"][0]["id"], "z");
  EXPECT_EQ(summary["pools"][1]["id"], "a");
  EXPECT_EQ(summary["pools"][2]["id"], "m");
  EXPECT_EQ(summary["pools"][3]["id"], "b");
  EXPECT_EQ(summary["pools"][3]["granted"], "5.00");
  EXPECT_EQ(summary["pools"][3]["exhausted_at"], kT);
}

// =============================================================== limit names

struct LimitCase {
  const char* name;
  std::string rules;
  std::string donations;
  Lines expected;
};

TEST(LimitNaming, FirstHeadroomEqualToTheGrantInContractOrder) {
  const LimitCase cases[] = {
      {"per_donation ties per_donor and pool; caps listed in reverse order",
       one_pool(R"(, "caps": {"per_donor": {"amount": "5"}, "per_donation": "5"})", "", "5"),
       donations({{"a", "u", "p", "10"}}),
       {"a,p,10.00,5.00,per_donation"}},
      {"per_donor ties per_donor_project, per_project, per_org and pool",
       one_pool(R"(, "caps": {"per_org": {"amount": "5"}, "per_project": {"amount": "5"},
                 "per_donor_project": {"amount": "5"}, "per_donor": {"amount": "5"}})",
                "", "5"),
       donations({{"a", "u", "p1", "10"}}),
       {"a,p,10.00,5.00,per_donor"}},
      {"per_donor_project ties per_project",
       one_pool(R"(, "caps": {"per_project": {"amount": "5"}, "per_donor_project": {"amount": "5"}})"),
       donations({{"a", "u", "p1", "10"}}),
       {"a,p,10.00,5.00,per_donor_project"}},
      {"per_project ties per_org", one_pool(R"(, "caps": {"per_org": {"amount": "5"}, "per_project": {"amount": "5"}})"),
       donations({{"a", "u", "p1", "10"}}),
       {"a,p,10.00,5.00,per_project"}},
      {"per_org ties max_total_ratio (floor(10 * 0.5) = 5)",
       one_pool(R"(, "caps": {"per_org": {"amount": "5"}})", R"("max_total_ratio": "0.5",)"),
       donations({{"a", "u", "p1", "10"}}),
       {"a,p,10.00,5.00,per_org"}},
      {"max_total_ratio ties pool", one_pool("", R"("max_total_ratio": "0.5",)", "5"),
       donations({{"a", "u", "p1", "10"}}),
       {"a,p,10.00,5.00,max_total_ratio"}},
      {"per_donor_count and per_donor both 0 on the second gift",
       one_pool(R"(, "caps": {"per_donor": {"amount": "5"}, "per_donor_count": {"count": 1}})"),
       donations({{"a", "u", "p1", "5"}, {"b", "u", "p1", "5"}}),
       {"a,p,5.00,5.00,none", "b,p,5.00,0.00,per_donor_count"}},
      {"per_donation 0 before per_donor_count 0",
       one_pool(R"(, "caps": {"per_donor_count": {"count": 0}, "per_donation": "0"})"),
       donations({{"a", "u", "p1", "5"}}),
       {"a,p,5.00,0.00,per_donation"}},
      {"the smallest headroom names the limit, not the first below base",
       one_pool(R"(, "caps": {"per_donation": "8", "per_donor": {"amount": "5"}})"),
       donations({{"a", "u", "p1", "10"}}),
       {"a,p,10.00,5.00,per_donor"}},
      {"pool alone", one_pool("", "", "3"), donations({{"a", "u", "p1", "10"}}), {"a,p,10.00,3.00,pool"}},
      {"base equal to a headroom is none", one_pool(R"(, "caps": {"per_donation": "10"})", "", "10"),
       donations({{"a", "u", "p1", "10"}}),
       {"a,p,10.00,10.00,none"}},
  };
  const std::string projects = "project,org\np1,o1\n";
  for (const LimitCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(simulate(c.rules, c.donations, projects)->ledger(), c.expected);
  }
}

TEST(LimitNaming, CapOfInt64MaxIsStillACap) {
  // minor_units 0, ratio 2, budget and per_donor both INT64_MAX (9223372036854775807).
  // z1: base 20, granted 20. z2: base 2 * 4611686018427387900 = 9223372036854775800;
  // per_donor headroom = pool headroom = 9223372036854775807 - 20 = 9223372036854775787.
  // Both equal the grant; per_donor comes first in the contract order.
  const std::string rules = R"({"minor_units": 0, "pools": [{"id": "p", "budget": "9223372036854775807",
      "match": {"ratio": "2"}, "caps": {"per_donor": {"amount": "9223372036854775807"}}}]})";
  auto run = simulate(rules, donations({{"z1", "u", "p", "10"}, {"z2", "u", "p", "4611686018427387900"}}));
  EXPECT_EQ(run->ledger(),
            (Lines{"z1,p,20,20,none", "z2,p,9223372036854775800,9223372036854775787,per_donor"}));
}

// =========================================================== base overflow

TEST(BaseOverflow, IsAnInputErrorAtTheDonationsLine) {
  // minor_units 0, ratio 2: 4611686018427387904 * 2 = 2^63, one more than INT64_MAX.
  const std::string rules =
      R"({"minor_units": 0, "pools": [{"id": "p", "budget": "10", "match": {"ratio": "2"}}]})";
  auto e = error_of([&] {
    simulate(rules, donations({{"a", "u", "p", "1"}, {"b", "u", "p", "4611686018427387904"}}));
  });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::input);
  EXPECT_EQ(std::string(e->what()).rfind("donations.csv, line 3, column amount", 0), 0u) << e->what();
  // One less fits: base 2^63 - 2, granted the 10 of the budget.
  auto ok = simulate(rules, donations({{"b", "u", "p", "4611686018427387903"}}));
  EXPECT_EQ(ok->ledger(), (Lines{"b,p,9223372036854775806,10,pool"}));
}

TEST(BaseOverflow, OnlyForAnEligiblePool) {
  const std::string ineligible = R"({"minor_units": 0, "pools": [
      {"id": "p", "budget": "10", "match": {"ratio": "2"}, "eligible": {"projects": ["other"]}}]})";
  auto run = simulate(ineligible, donations({{"b", "u", "p", "4611686018427387904"}}));
  EXPECT_TRUE(run->ledger().empty());

  // Through stack: B (stack false) is ineligible when A granted > 0, so its
  // base is never due ...
  const std::string stacked = R"({"minor_units": 0, "pools": [
      {"id": "A", "budget": "10", "match": {"ratio": "1"}},
      {"id": "B", "budget": "10", "stack": false, "match": {"ratio": "2"}}]})";
  auto fine = simulate(stacked, donations({{"b", "u", "p", "4611686018427387904"}}));
  EXPECT_EQ(fine->ledger(), (Lines{"b,A,4611686018427387904,10,pool"}));
  // ... but once A's budget is gone A grants 0 and B's base is an error at line 3.
  auto e = error_of([&] {
    simulate(stacked, donations({{"a", "u", "p", "10"}, {"b", "u", "p", "4611686018427387904"}}));
  });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::input);
  EXPECT_EQ(std::string(e->what()).rfind("donations.csv, line 3, column amount", 0), 0u) << e->what();
}

// ================================================================== summary

TEST(Summary, CountsTotalsAndExhaustedAtAsWritten) {
  // Budget 15: a (10) and b (5) exhaust it at b; c gets 0.
  auto run = simulate(one_pool("", "", "15"), std::string(kHeader) +
                                                  "a,2017-09-07T09:00:00.50+08:00,u,p,10\n"
                                                  "a,2017-09-07T09:00:00Z,u,p,99\n"  // duplicate
                                                  "b,2017-09-07T10:00:00.123-00:00,u,p,5\n"
                                                  "c,2017-09-07T11:00:00Z,u,p,1\n");
  EXPECT_EQ(run->ledger(), (Lines{"a,p,10.00,10.00,none", "b,p,5.00,5.00,none", "c,p,1.00,0.00,pool"}));
  nlohmann::json s = run->summary();
  EXPECT_EQ(s["donations"], 3);
  EXPECT_EQ(s["duplicates"], 1);
  EXPECT_EQ(s["donated"], "16.00");  // 10 + 5 + 1; the duplicate's 99 is not donated
  EXPECT_EQ(s["matched"], "15.00");
  EXPECT_EQ(s["pools"][0]["budget"], "15.00");
  EXPECT_EQ(s["pools"][0]["granted"], "15.00");
  EXPECT_EQ(s["pools"][0]["grants"], 2);  // c's 0 is not a grant
  EXPECT_EQ(s["pools"][0]["exhausted_at"], "2017-09-07T10:00:00.123-00:00");
}

TEST(Summary, NotExhaustedIsNull) {
  auto run = simulate(one_pool("", R"("minor_units": 0,)", "15"), donations({{"a", "u", "p", "14"}}));
  nlohmann::json s = run->summary();
  EXPECT_TRUE(s["pools"][0]["exhausted_at"].is_null());
  EXPECT_EQ(s["pools"][0]["granted"], "14");  // minor_units 0: no point
  EXPECT_EQ(s["donated"], "14");
}

}  // namespace
}  // namespace matchfund
