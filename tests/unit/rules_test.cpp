// The rules file (SPEC 3, 6 and 8): every fault is an ErrorKind::rules error
// naming the file and the JSON path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/error.hpp"
#include "engine/rules.hpp"
#include "unit/test_support.hpp"

namespace matchfund {
namespace {

using matchfund::test_support::error_of;

// A rules file with one pool "m" (budget 1000, ratio 1) plus `extra` pool
// fields (each starting with a comma) and `top` top-level fields (each ending
// with a comma).
std::string one_pool(const std::string& extra, const std::string& top = "") {
  return "{" + top + R"("pools": [{"id": "m", "budget": "1000", "match": {"ratio": "1"})" + extra + "}]}";
}
// A rules file with one pool "m" whose match is `match`.
std::string one_match(const std::string& match, const std::string& top = "") {
  return "{" + top + R"("pools": [{"id": "m", "budget": "1000", "match": )" + match + "}]}";
}
// A rules file with one pool "m" whose caps are `caps`.
std::string one_caps(const std::string& caps) { return one_pool(R"(, "caps": )" + caps); }

// parse_campaign(text) fails with a rules error "rules.json: <path>: ...".
::testing::AssertionResult RulesErrorAt(const std::string& text, const std::string& path) {
  auto e = error_of([&] { parse_campaign(text, "rules.json"); });
  if (!e) return ::testing::AssertionFailure() << "no error for " << text;
  std::string msg = e->what();
  if (e->kind() != ErrorKind::rules)
    return ::testing::AssertionFailure() << "kind " << static_cast<int>(e->kind()) << ": " << msg;
  std::string want = "rules.json: " + path + ": ";
  if (msg.rfind(want, 0) != 0)
    return ::testing::AssertionFailure() << "message \"" << msg << "\" does not start with \"" << want << "\"";
  return ::testing::AssertionSuccess() << msg;
}

// Not valid JSON: a rules error naming the file.
::testing::AssertionResult NotJson(const std::string& text) {
  auto e = error_of([&] { parse_campaign(text, "rules.json"); });
  if (!e) return ::testing::AssertionFailure() << "no error for " << text;
  std::string msg = e->what();
  if (e->kind() != ErrorKind::rules)
    return ::testing::AssertionFailure() << "kind " << static_cast<int>(e->kind()) << ": " << msg;
  if (msg.rfind("rules.json: ", 0) != 0) return ::testing::AssertionFailure() << "message \"" << msg << "\"";
  return ::testing::AssertionSuccess() << msg;
}

::testing::AssertionResult Parses(const std::string& text) {
  auto e = error_of([&] { parse_campaign(text, "rules.json"); });
  if (e) return ::testing::AssertionFailure() << e->what() << "\nfor " << text;
  return ::testing::AssertionSuccess();
}

// ------------------------------------------------------------ valid files

TEST(ParseCampaign, Defaults) {
  Campaign c = parse_campaign(one_pool(""), "rules.json");
  EXPECT_EQ(c.minor_units, 2);
  EXPECT_EQ(c.utc_offset, 0);
  EXPECT_EQ(c.seed, 0u);
  EXPECT_FALSE(c.max_total_ratio.has_value());
  EXPECT_EQ(c.reservation_ttl_seconds, 900);
  EXPECT_EQ(c.reservation_max_seconds, 1800);
  ASSERT_EQ(c.pools.size(), 1u);
  const PoolRules& p = c.pools[0];
  EXPECT_EQ(p.id, "m");
  EXPECT_EQ(p.budget, 100000);  // 1000 at minor_units 2
  EXPECT_EQ(p.priority, 0);
  EXPECT_TRUE(p.stack);
  EXPECT_NE(p.rate, nullptr);
  EXPECT_TRUE(p.conditions.empty());
  EXPECT_TRUE(p.caps.empty());
  EXPECT_FALSE(p.releases.has_value());
}

TEST(ParseCampaign, EveryFieldRead) {
  Campaign c = parse_campaign(R"({
    "campaign": "99 Giving Day 2017", "currency": "CNY", "minor_units": 3,
    "utc_offset": "-09:30", "seed": 2017, "max_total_ratio": "2.5",
    "reservation_ttl_seconds": 60, "reservation_max_seconds": 120,
    "pools": [
      {"id": "a", "sponsor": "S", "budget": "10.5", "priority": -7, "stack": false,
       "match": {"tiers": [{"up_to": "1", "ratio": "2"}, {"ratio": "1"}]},
       "eligible": {"projects": ["p"], "exclude_projects": [], "categories": [""], "orgs": ["o"],
                    "channels": ["cash"], "min_donation": "0.001"},
       "windows": [{"start": "2017-09-07T00:00:00+08:00", "end": "2017-09-10T00:00:00+08:00"}],
       "daily_hours": [{"from": "09:00", "to": "24:00"}],
       "releases": [{"at": "2017-09-08T00:00:00Z", "amount": "0.5"},
                    {"at": "2017-09-07T00:00:00Z", "amount": "10"}],
       "caps": {"per_org": {"amount": "1"}, "per_project": {"overrides": {"x": "1"}},
                "per_donor_project": {"amount": "1", "per": "campaign"},
                "per_donor": {"amount": "1", "per": "day"},
                "per_donor_count": {"count": 3}, "per_donation": "1"}},
      {"id": "b.2_-Z", "budget": "1", "match": {"fixed": "0"}}
    ]})",
                              "rules.json");
  EXPECT_EQ(c.name, "99 Giving Day 2017");
  EXPECT_EQ(c.currency, "CNY");
  EXPECT_EQ(c.minor_units, 3);
  EXPECT_EQ(c.utc_offset, -(9 * 3600 + 30 * 60) * 1'000'000LL);
  EXPECT_EQ(c.seed, 2017u);
  ASSERT_TRUE(c.max_total_ratio.has_value());
  EXPECT_EQ(c.max_total_ratio->micros, 2'500'000);
  EXPECT_EQ(c.reservation_ttl_seconds, 60);
  EXPECT_EQ(c.reservation_max_seconds, 120);
  ASSERT_EQ(c.pools.size(), 2u);
  const PoolRules& a = c.pools[0];
  EXPECT_EQ(a.id, "a");
  EXPECT_EQ(a.sponsor, "S");
  EXPECT_EQ(a.budget, 10500);  // 10.5 at minor_units 3
  EXPECT_EQ(a.priority, -7);
  EXPECT_FALSE(a.stack);
  // windows, daily_hours and the six eligible conditions.
  EXPECT_EQ(a.conditions.size(), 8u);
  // Caps are kept in the contract's limit order whatever the file order.
  ASSERT_EQ(a.caps.size(), 6u);
  const char* order[] = {"per_donation", "per_donor_count", "per_donor", "per_donor_project", "per_project", "per_org"};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(a.caps[i].name, order[i]);
  EXPECT_EQ(a.caps[1].spec.counts_grants, true);
  EXPECT_EQ(a.caps[1].spec.limit, 3);
  EXPECT_EQ(a.caps[2].spec.period, Period::day);
  EXPECT_EQ(a.caps[3].spec.period, Period::campaign);
  EXPECT_EQ(a.caps[5].spec.period, Period::campaign);  // default
  EXPECT_FALSE(a.caps[4].spec.limit.has_value());      // overrides only
  // Releases are sorted by time: the 10 at Sep 7 first.
  ASSERT_TRUE(a.releases.has_value());
  ASSERT_EQ(a.releases->size(), 2u);
  EXPECT_EQ((*a.releases)[0].amount, 10000);
  EXPECT_EQ((*a.releases)[1].amount, 500);
  EXPECT_LT((*a.releases)[0].at, (*a.releases)[1].at);
  EXPECT_EQ(c.pools[1].id, "b.2_-Z");
}

TEST(ParseCampaign, ByteOrderMarkIsSkipped) { EXPECT_TRUE(Parses("\xEF\xBB\xBF" + one_pool(""))); }

// ------------------------------------------------------------- unknown keys

TEST(ParseCampaign, UnknownKeysAnywhereNameTheirPath) {
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("colour": "red",)"), "colour"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "colour": "red")"), "pools[0].colour"));
  // Eligibility keys belong inside "eligible", time conditions outside it.
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "projects": ["p"])"), "pools[0].projects"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "eligible": {"windows": []})"), "pools[0].eligible.windows"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "eligible": {"project": ["p"]})"), "pools[0].eligible.project"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"ratioo": "1"})"), "pools[0].match.ratioo"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donr": {"amount": "1"}})"), "pools[0].caps.per_donr"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor": {"amount": "1", "pre": "day"}})"), "pools[0].caps.per_donor.pre"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor_count": {"count": 1, "amount": "1"}})"),
                           "pools[0].caps.per_donor_count.amount"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor_project": {"amount": "1", "x": 1}})"),
                           "pools[0].caps.per_donor_project.x"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_project": {"amount": "1", "override": {}}})"),
                           "pools[0].caps.per_project.override"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_org": {"amount": "1", "count": 1}})"), "pools[0].caps.per_org.count"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"up_to": "1", "ratio": "1"}, {"ratio": "1", "upto": "2"}]})"),
                           "pools[0].match.tiers[1].upto"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": "1", "max": "1", "step": "0", "seed": 1}})"),
                           "pools[0].match.random.seed"));
  EXPECT_TRUE(RulesErrorAt(
      one_pool(R"(, "windows": [{"start": "2017-09-07T00:00:00Z", "end": "2017-09-08T00:00:00Z", "tz": "x"}])"),
      "pools[0].windows[0].tz"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": [{"from": "09:00", "to": "10:00"}, {"start": "09:00"}])"),
                           "pools[0].daily_hours[1].start"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": [{"at": "2017-09-07T00:00:00Z", "amount": "1000", "note": ""}])"),
                           "pools[0].releases[0].note"));
  // Settlement and other commands' keys are not keys of an allocation file.
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("round": "r1",)"), "round"));
}

TEST(ParseCampaign, SettlementPoolsAreNotAllocationRules) {
  // SPEC 7: a pool with "settle" does not fit `simulate` (mixed with "match" or not).
  for (const std::string& text :
       {one_pool(R"(, "settle": {"mechanism": "pro_rata"})"),
        std::string(R"({"pools": [{"id": "q", "budget": "1", "settle": {"mechanism": "pro_rata"}}]})")}) {
    auto e = error_of([&] { parse_campaign(text, "rules.json"); });
    ASSERT_TRUE(e) << text;
    EXPECT_EQ(e->kind(), ErrorKind::rules);
    std::string msg = e->what();
    EXPECT_EQ(msg.rfind("rules.json: ", 0), 0u) << msg;
    EXPECT_NE(msg.find("settle"), std::string::npos) << msg;
  }
}

TEST(ParseCampaign, UnknownKeyInTheSecondPool) {
  // The brief's example path: pools[1].caps.per_donor.per.
  std::string text = R"({"pools": [
      {"id": "a", "budget": "1", "match": {"ratio": "1"}},
      {"id": "b", "budget": "1", "match": {"ratio": "1"}, "caps": {"per_donor": {"amount": "1", "per": "week"}}}]})";
  EXPECT_TRUE(RulesErrorAt(text, "pools[1].caps.per_donor.per"));
}

TEST(ParseCampaign, OverrideKeysAreFreeProjectIds) {
  Campaign c = parse_campaign(
      one_caps(R"({"per_project": {"amount": "5", "overrides": {"amount": "1", "per": "2", "a project, with \"quotes\"": "0"}}})"),
      "rules.json");
  ASSERT_EQ(c.pools[0].caps.size(), 1u);
  const CapSpec& spec = c.pools[0].caps[0].spec;
  EXPECT_EQ(spec.limit, 500);
  ASSERT_EQ(spec.project_overrides.size(), 3u);
  std::vector<std::string> keys;
  for (const auto& [k, v] : spec.project_overrides) keys.push_back(k);
  EXPECT_NE(std::find(keys.begin(), keys.end(), "amount"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "per"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "a project, with \"quotes\""), keys.end());
  // An empty project id is not a project.
  auto e = error_of([] { parse_campaign(one_caps(R"({"per_project": {"overrides": {"": "1"}}})"), "rules.json"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::rules);
  EXPECT_NE(std::string(e->what()).find("pools[0].caps.per_project.overrides"), std::string::npos) << e->what();
  // Override values are amounts, named by their project.
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_project": {"overrides": {"p1": 5}}})"),
                           "pools[0].caps.per_project.overrides.p1"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_project": {"overrides": {"p1": "1.234"}}})"),
                           "pools[0].caps.per_project.overrides.p1"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_project": {"overrides": ["p1"]}})"), "pools[0].caps.per_project.overrides"));
}

// -------------------------------------------------------------- value types

TEST(ParseCampaign, NumbersWhereStringsAreRequired) {
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": "m", "budget": 1000, "match": {"ratio": "1"}}]})", "pools[0].budget"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": 7, "budget": "1000", "match": {"ratio": "1"}}]})", "pools[0].id"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"ratio": 1})"), "pools[0].match.ratio"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"ratio": 1.5})"), "pools[0].match.ratio"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"fixed": 5})"), "pools[0].match.fixed"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"up_to": 100, "ratio": "1"}]})"), "pools[0].match.tiers[0].up_to"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"ratio": 1}]})"), "pools[0].match.tiers[0].ratio"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": 1, "max": "1", "step": "0"}})"), "pools[0].match.random.min"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("max_total_ratio": 2,)"), "max_total_ratio"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("utc_offset": 8,)"), "utc_offset"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("campaign": 2017,)"), "campaign"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("currency": 1,)"), "currency"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "sponsor": 1)"), "pools[0].sponsor"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donation": 10})"), "pools[0].caps.per_donation"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor": {"amount": 10}})"), "pools[0].caps.per_donor.amount"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor": {"amount": "10", "per": 1}})"), "pools[0].caps.per_donor.per"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "eligible": {"min_donation": 5})"), "pools[0].eligible.min_donation"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "eligible": {"projects": [1]})"), "pools[0].eligible.projects[0]"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "eligible": {"channels": "cash"})"), "pools[0].eligible.channels"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": [{"at": "2017-09-07T00:00:00Z", "amount": 1000}])"),
                           "pools[0].releases[0].amount"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "windows": [{"start": 0, "end": "2017-09-08T00:00:00Z"}])"),
                           "pools[0].windows[0].start"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": [{"from": 9, "to": "10:00"}])"), "pools[0].daily_hours[0].from"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "stack": "false")"), "pools[0].stack"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "stack": 0)"), "pools[0].stack"));
}

TEST(ParseCampaign, NullIsNotAWayToLeaveAFieldOut) {
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("campaign": null,)"), "campaign"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("seed": null,)"), "seed"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("minor_units": null,)"), "minor_units"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("utc_offset": null,)"), "utc_offset"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("max_total_ratio": null,)"), "max_total_ratio"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_ttl_seconds": null,)"), "reservation_ttl_seconds"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": null})", "pools"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [null]})", "pools[0]"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "sponsor": null)"), "pools[0].sponsor"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "priority": null)"), "pools[0].priority"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "stack": null)"), "pools[0].stack"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "eligible": null)"), "pools[0].eligible"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "eligible": {"projects": null})"), "pools[0].eligible.projects"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "windows": null)"), "pools[0].windows"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": null)"), "pools[0].daily_hours"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": null)"), "pools[0].releases"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "caps": null)"), "pools[0].caps"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donation": null})"), "pools[0].caps.per_donation"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor": {"amount": "1", "per": null}})"), "pools[0].caps.per_donor.per"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_project": {"amount": "1", "overrides": null}})"),
                           "pools[0].caps.per_project.overrides"));
  EXPECT_TRUE(RulesErrorAt(one_match("null"), "pools[0].match"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"ratio": null})"), "pools[0].match.ratio"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"up_to": null, "ratio": "1"}]})"), "pools[0].match.tiers[0].up_to"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": null, "budget": "1", "match": {"ratio": "1"}}]})", "pools[0].id"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": "m", "budget": null, "match": {"ratio": "1"}}]})", "pools[0].budget"));
}

// ------------------------------------------------------------------- JSON

TEST(ParseCampaign, RepeatedKeysNameTheirObject) {
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("seed": 1, "seed": 1,)"), "(top level)"));
  std::string pools = R"({"pools": [
      {"id": "a", "budget": "1", "match": {"ratio": "1"}},
      {"id": "b", "budget": "1", "budget": "1", "match": {"ratio": "1"}}]})";
  EXPECT_TRUE(RulesErrorAt(pools, "pools[1]"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donation": "1", "per_donation": "2"})"), "pools[0].caps"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_project": {"overrides": {"p": "1", "p": "2"}}})"),
                           "pools[0].caps.per_project.overrides"));
  std::string in_array = R"({"pools": [{"id": "m", "budget": "1000", "match": {"ratio": "1"},
      "windows": [{"start": "2017-09-07T00:00:00Z", "end": "2017-09-08T00:00:00Z"},
                  {"start": "2017-09-07T00:00:00Z", "start": "2017-09-07T00:00:00Z", "end": "2017-09-08T00:00:00Z"}]}]})";
  EXPECT_TRUE(RulesErrorAt(in_array, "pools[0].windows[1]"));
  auto e = error_of([&] { parse_campaign(in_array, "rules.json"); });
  ASSERT_TRUE(e);
  EXPECT_NE(std::string(e->what()).find("start"), std::string::npos) << e->what();
}

TEST(ParseCampaign, NotValidJson) {
  EXPECT_TRUE(NotJson(""));
  EXPECT_TRUE(NotJson("   "));
  EXPECT_TRUE(NotJson(R"({"pools": [{"id": "m", "budget": "1000", "match": {"ratio": "1"}},]})"));  // trailing comma
  EXPECT_TRUE(NotJson(R"({"pools": [{"id": "m", "budget": "1000", "match": {"ratio": "1"},}]})"));
  EXPECT_TRUE(NotJson(one_pool("", R"("seed": NaN,)")));
  EXPECT_TRUE(NotJson(one_pool("", R"("seed": Infinity,)")));
  EXPECT_TRUE(NotJson(one_pool("", R"("seed": -Infinity,)")));
  EXPECT_TRUE(NotJson("// comment\n" + one_pool("")));
  EXPECT_TRUE(NotJson(one_pool("") + "/* trailing comment */"));
  EXPECT_TRUE(NotJson("{'pools': []}"));
  EXPECT_TRUE(NotJson(one_pool("") + " {}"));
  EXPECT_TRUE(NotJson(one_pool("", R"("seed": 01,)")));
  EXPECT_TRUE(NotJson(one_pool("", R"("seed": +1,)")));
  EXPECT_TRUE(NotJson(R"({"pools": [{"id": "m", "budget": "1000", "match": {"ratio": "1"}})"));  // truncated
  EXPECT_TRUE(NotJson(one_pool("", "\"campaign\": \"a\xFF\",")));                               // not UTF-8
  EXPECT_TRUE(NotJson(one_pool("", "\"campaign\": \"a\tb\",")));                                // raw control char
}

TEST(ParseCampaign, TopLevelMustBeAnObjectWithPools) {
  EXPECT_TRUE(RulesErrorAt("[]", "(top level)"));
  EXPECT_TRUE(RulesErrorAt("\"x\"", "(top level)"));
  EXPECT_TRUE(RulesErrorAt("{}", "(top level)"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": []})", "pools"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": {}})", "pools"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": ["m"]})", "pools[0]"));
}

// ----------------------------------------------------------------- integers

TEST(ParseCampaign, IntegersHaveNoFractionExponentOrBoolean) {
  for (const char* field : {"seed", "minor_units", "reservation_ttl_seconds"}) {
    for (const char* value : {"1.0", "1e3", "1E0", "true", "false", "\"1\"", "0.5"}) {
      SCOPED_TRACE(std::string(field) + ": " + value);
      EXPECT_TRUE(RulesErrorAt(one_pool("", "\"" + std::string(field) + "\": " + value + ","), field));
    }
  }
  for (const char* value : {"1.0", "1e3", "true", "\"1\""}) {
    SCOPED_TRACE(value);
    EXPECT_TRUE(RulesErrorAt(one_pool(std::string(R"(, "priority": )") + value), "pools[0].priority"));
    EXPECT_TRUE(RulesErrorAt(one_caps(std::string(R"({"per_donor_count": {"count": )") + value + "}}"),
                             "pools[0].caps.per_donor_count.count"));
  }
}

TEST(ParseCampaign, SeedRange) {
  EXPECT_TRUE(Parses(one_pool("", R"("seed": 0,)")));
  Campaign c = parse_campaign(one_pool("", R"("seed": 9223372036854775807,)"), "rules.json");
  EXPECT_EQ(c.seed, 9223372036854775807ull);
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("seed": -1,)"), "seed"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("seed": 9223372036854775808,)"), "seed"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("seed": 18446744073709551615,)"), "seed"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("seed": 18446744073709551616,)"), "seed"));
}

TEST(ParseCampaign, MinorUnitsRange) {
  for (int mu = 0; mu <= 6; ++mu) {
    Campaign c = parse_campaign(one_pool("", "\"minor_units\": " + std::to_string(mu) + ","), "rules.json");
    EXPECT_EQ(c.minor_units, mu);
  }
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("minor_units": 7,)"), "minor_units"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("minor_units": -1,)"), "minor_units"));
  // Amounts follow minor_units: "1000.5" is too precise at 0, "0.000001" fine at 6.
  EXPECT_TRUE(RulesErrorAt(
      R"({"minor_units": 0, "pools": [{"id": "m", "budget": "1000.5", "match": {"ratio": "1"}}]})", "pools[0].budget"));
  EXPECT_TRUE(Parses(R"({"minor_units": 6, "pools": [{"id": "m", "budget": "0.000001", "match": {"ratio": "1"}}]})"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": "m", "budget": "5.500", "match": {"ratio": "1"}}]})", "pools[0].budget"));
}

TEST(ParseCampaign, PriorityIsInt64) {
  std::string text = R"({"pools": [
      {"id": "lo", "budget": "1", "priority": -9223372036854775808, "match": {"ratio": "1"}},
      {"id": "hi", "budget": "1", "priority": 9223372036854775807, "match": {"ratio": "1"}}]})";
  Campaign c = parse_campaign(text, "rules.json");
  EXPECT_EQ(c.pools[0].priority, INT64_MIN);
  EXPECT_EQ(c.pools[1].priority, INT64_MAX);
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "priority": 9223372036854775808)"), "pools[0].priority"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "priority": -9223372036854775809)"), "pools[0].priority"));
}

// -------------------------------------------------------------------- rates

TEST(ParseCampaign, MatchNeedsExactlyOneRate) {
  EXPECT_TRUE(RulesErrorAt(one_match("{}"), "pools[0].match"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"ratio": "1", "fixed": "1"})"), "pools[0].match"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"("1")"), "pools[0].match"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": "m", "budget": "1000"}]})", "pools[0]"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"ratio": "1.1234567"})"), "pools[0].match.ratio"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"ratio": "-1"})"), "pools[0].match.ratio"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"ratio": "9223372036854.775808"})"), "pools[0].match.ratio"));
  EXPECT_TRUE(Parses(one_match(R"({"ratio": "9223372036854.775807"})")));
  EXPECT_TRUE(Parses(one_match(R"({"ratio": "0"})")));
  EXPECT_TRUE(Parses(one_match(R"({"fixed": "0"})")));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"fixed": "1.234"})"), "pools[0].match.fixed"));
}

TEST(ParseCampaign, TiersRules) {
  // At least one band.
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": []})"), "pools[0].match.tiers"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": {}})"), "pools[0].match.tiers"));
  // One open-ended band; one closed band; closed last band.
  EXPECT_TRUE(Parses(one_match(R"({"tiers": [{"ratio": "1"}]})")));
  EXPECT_TRUE(Parses(one_match(R"({"tiers": [{"up_to": "1", "ratio": "1"}]})")));
  EXPECT_TRUE(Parses(one_match(R"({"tiers": [{"up_to": "1", "ratio": "1"}, {"up_to": "2", "ratio": "0"}]})")));
  // The first up_to must be > 0.
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"up_to": "0", "ratio": "1"}]})"), "pools[0].match.tiers[0].up_to"));
  EXPECT_TRUE(Parses(one_match(R"({"tiers": [{"up_to": "0.01", "ratio": "1"}]})")));
  // Strictly increasing.
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"up_to": "10", "ratio": "1"}, {"up_to": "10", "ratio": "1"}]})"),
                           "pools[0].match.tiers[1].up_to"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"up_to": "10", "ratio": "1"}, {"up_to": "9.99", "ratio": "1"}]})"),
                           "pools[0].match.tiers[1].up_to"));
  EXPECT_TRUE(RulesErrorAt(
      one_match(R"({"tiers": [{"up_to": "1", "ratio": "1"}, {"up_to": "3", "ratio": "1"}, {"up_to": "2", "ratio": "1"}]})"),
      "pools[0].match.tiers[2].up_to"));
  // Only the last band may omit up_to.
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"ratio": "1"}, {"up_to": "10", "ratio": "1"}]})"),
                           "pools[0].match.tiers[0]"));
  EXPECT_TRUE(RulesErrorAt(
      one_match(R"({"tiers": [{"up_to": "1", "ratio": "1"}, {"ratio": "1"}, {"ratio": "1"}]})"), "pools[0].match.tiers[1]"));
  // Every band needs a ratio.
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": [{"up_to": "10"}]})"), "pools[0].match.tiers[0]"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"tiers": ["1"]})"), "pools[0].match.tiers[0]"));
}

TEST(ParseCampaign, RandomRules) {
  EXPECT_TRUE(Parses(one_match(R"({"random": {"min": "1", "max": "3", "step": "0.5"}})")));
  EXPECT_TRUE(Parses(one_match(R"({"random": {"min": "1", "max": "1", "step": "0"}})")));     // one point, step 0
  EXPECT_TRUE(Parses(one_match(R"({"random": {"min": "1", "max": "1", "step": "0.3"}})")));   // one point, any step
  EXPECT_TRUE(Parses(one_match(R"({"random": {"min": "0", "max": "1", "step": "1"}})")));     // two points
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": "2", "max": "1", "step": "1"}})"), "pools[0].match.random.max"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": "1", "max": "2", "step": "0"}})"), "pools[0].match.random.step"));
  // (1 - 0.5) / 0.3 is not whole.
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": "0.5", "max": "1", "step": "0.3"}})"),
                           "pools[0].match.random.step"));
  // A step larger than the span is not whole either.
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": "0", "max": "1", "step": "2"}})"), "pools[0].match.random.step"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": "1", "max": "2"}})"), "pools[0].match.random"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"max": "2", "step": "1"}})"), "pools[0].match.random"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": "1", "step": "1"}})"), "pools[0].match.random"));
  EXPECT_TRUE(RulesErrorAt(one_match(R"({"random": {"min": "1", "max": "2", "step": "1.0000001"}})"),
                           "pools[0].match.random.step"));
}

// --------------------------------------------------------- time conditions

TEST(ParseCampaign, WindowsRules) {
  EXPECT_TRUE(Parses(one_pool(R"(, "windows": [])")));
  EXPECT_TRUE(Parses(one_pool(R"(, "windows": [{"start": "2017-09-07T00:00:00Z", "end": "2017-09-07T00:00:00.000001Z"}])")));
  // start == end and start > end (the same instant written two ways).
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "windows": [{"start": "2017-09-07T08:00:00+08:00", "end": "2017-09-07T00:00:00Z"}])"),
                           "pools[0].windows[0].end"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "windows": [{"start": "2017-09-08T00:00:00Z", "end": "2017-09-07T00:00:00Z"}])"),
                           "pools[0].windows[0].end"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "windows": [{"start": "2017-09-07T00:00:00Z"}])"), "pools[0].windows[0]"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "windows": [{"start": "2017-09-07", "end": "2017-09-08T00:00:00Z"}])"),
                           "pools[0].windows[0].start"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "windows": [{"start": "2017-09-07T00:00:00Z", "end": "2017-02-29T00:00:00Z"}])"),
                           "pools[0].windows[0].end"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "windows": {"start": "2017-09-07T00:00:00Z"})"), "pools[0].windows"));
}

TEST(ParseCampaign, DailyHoursRules) {
  EXPECT_TRUE(Parses(one_pool(R"(, "daily_hours": [])")));
  EXPECT_TRUE(Parses(one_pool(R"(, "daily_hours": [{"from": "09:00", "to": "24:00"}])")));
  EXPECT_TRUE(Parses(one_pool(R"(, "daily_hours": [{"from": "23:59:59", "to": "24:00:00"}])")));
  EXPECT_TRUE(Parses(one_pool(R"(, "daily_hours": [{"from": "00:00", "to": "00:00:01"}])")));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": [{"from": "09:00", "to": "09:00"}])"), "pools[0].daily_hours[0].to"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": [{"from": "22:00", "to": "02:00"}])"), "pools[0].daily_hours[0].to"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": [{"from": "24:00", "to": "24:00"}])"),
                           "pools[0].daily_hours[0].from"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": [{"from": "09:00", "to": "24:01"}])"), "pools[0].daily_hours[0].to"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": [{"from": "9:00", "to": "10:00"}])"),
                           "pools[0].daily_hours[0].from"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "daily_hours": [{"from": "09:00"}])"), "pools[0].daily_hours[0]"));
}

// ------------------------------------------------------------------- releases

TEST(ParseCampaign, ReleasesRules) {
  EXPECT_TRUE(Parses(one_pool(R"(, "releases": [{"at": "2017-09-07T00:00:00Z", "amount": "1000"}])")));
  // A release of 0 is allowed; the amounts still sum to the budget.
  EXPECT_TRUE(Parses(one_pool(
      R"(, "releases": [{"at": "2017-09-07T00:00:00Z", "amount": "0"}, {"at": "2017-09-08T00:00:00Z", "amount": "1000.00"}])")));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": [])"), "pools[0].releases"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": [{"at": "2017-09-07T00:00:00Z", "amount": "999.99"}])"),
                           "pools[0].releases"));
  EXPECT_TRUE(RulesErrorAt(one_pool(
      R"(, "releases": [{"at": "2017-09-07T00:00:00Z", "amount": "600"}, {"at": "2017-09-08T00:00:00Z", "amount": "400.01"}])"),
                           "pools[0].releases"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": [{"at": "2017-09-07T00:00:00", "amount": "1000"}])"),
                           "pools[0].releases[0].at"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": [{"amount": "1000"}])"), "pools[0].releases[0]"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": [{"at": "2017-09-07T00:00:00Z"}])"), "pools[0].releases[0]"));
  EXPECT_TRUE(RulesErrorAt(one_pool(R"(, "releases": {})"), "pools[0].releases"));
}

// ---------------------------------------------------------------------- caps

TEST(ParseCampaign, CapsRules) {
  // Every amount but budget may be 0; count may be 0.
  EXPECT_TRUE(Parses(one_caps(R"({"per_donation": "0", "per_donor": {"amount": "0"}, "per_donor_count": {"count": 0},
      "per_donor_project": {"amount": "0"}, "per_project": {"amount": "0", "overrides": {"p": "0"}},
      "per_org": {"amount": "0", "per": "day"}})")));
  EXPECT_TRUE(Parses(one_pool(R"(, "eligible": {"min_donation": "0"})")));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor": {"per": "day"}})"), "pools[0].caps.per_donor"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor_count": {"per": "day"}})"), "pools[0].caps.per_donor_count"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor_count": {"count": -1}})"), "pools[0].caps.per_donor_count.count"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_project": {"per": "day"}})"), "pools[0].caps.per_project"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_org": {"amount": "1", "per": "Day"}})"), "pools[0].caps.per_org.per"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor": {"amount": "-1"}})"), "pools[0].caps.per_donor.amount"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donation": "1.001"})"), "pools[0].caps.per_donation"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"(["per_donation"])"), "pools[0].caps"));
  EXPECT_TRUE(RulesErrorAt(one_caps(R"({"per_donor": "10"})"), "pools[0].caps.per_donor"));
}

// --------------------------------------------------------------------- pools

TEST(ParseCampaign, PoolIdsAndBudgets) {
  std::string dup = R"({"pools": [
      {"id": "a", "budget": "1", "match": {"ratio": "1"}},
      {"id": "a", "budget": "1", "match": {"ratio": "1"}}]})";
  EXPECT_TRUE(RulesErrorAt(dup, "pools[1].id"));
  // Ids compare exactly: "A" and "a" are two pools.
  EXPECT_TRUE(Parses(R"({"pools": [
      {"id": "a", "budget": "1", "match": {"ratio": "1"}},
      {"id": "A", "budget": "1", "match": {"ratio": "1"}}]})"));
  // Each id as a JSON string literal body (\" is a quote inside the id).
  for (const char* id : {"", "a b", "a/b", "a,b", "caf\xC3\xA9", "a\\\"b", "a:b", "a+b", "a\\u0000b"}) {
    SCOPED_TRACE(id);
    std::string text = R"({"pools": [{"id": ")" + std::string(id) + R"(", "budget": "1", "match": {"ratio": "1"}}]})";
    EXPECT_TRUE(RulesErrorAt(text, "pools[0].id"));
  }
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"budget": "1", "match": {"ratio": "1"}}]})", "pools[0]"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": "m", "match": {"ratio": "1"}}]})", "pools[0]"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": "m", "budget": "0", "match": {"ratio": "1"}}]})", "pools[0].budget"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": "m", "budget": "0.00", "match": {"ratio": "1"}}]})", "pools[0].budget"));
  EXPECT_TRUE(RulesErrorAt(R"({"pools": [{"id": "m", "budget": "-1", "match": {"ratio": "1"}}]})", "pools[0].budget"));
}

TEST(ParseCampaign, SumOfBudgetsMustFitInt64) {
  // minor_units 0: INT64_MAX - 1 plus 1 is exactly INT64_MAX: valid.
  EXPECT_TRUE(Parses(R"({"minor_units": 0, "pools": [
      {"id": "a", "budget": "9223372036854775806", "match": {"ratio": "1"}},
      {"id": "b", "budget": "1", "match": {"ratio": "1"}}]})"));
  // One more unit overflows: the error is at "pools" itself.
  EXPECT_TRUE(RulesErrorAt(R"({"minor_units": 0, "pools": [
      {"id": "a", "budget": "9223372036854775807", "match": {"ratio": "1"}},
      {"id": "b", "budget": "1", "match": {"ratio": "1"}}]})",
                           "pools"));
  // Three pools whose sum passes 2^64 (it must not wrap around to a small value).
  EXPECT_TRUE(RulesErrorAt(R"({"minor_units": 0, "pools": [
      {"id": "a", "budget": "9223372036854775807", "match": {"ratio": "1"}},
      {"id": "b", "budget": "9223372036854775807", "match": {"ratio": "1"}},
      {"id": "c", "budget": "2", "match": {"ratio": "1"}}]})",
                           "pools"));
  // A single budget too large for int64 is refused at that budget.
  EXPECT_TRUE(RulesErrorAt(R"({"minor_units": 0, "pools": [{"id": "a", "budget": "9223372036854775808", "match": {"ratio": "1"}}]})",
                           "pools[0].budget"));
}

// ------------------------------------------------------- top-level fields

TEST(ParseCampaign, UtcOffsetAndMaxTotalRatio) {
  EXPECT_EQ(parse_campaign(one_pool("", R"("utc_offset": "+08:00",)"), "r").utc_offset, 8 * 3600 * 1'000'000LL);
  EXPECT_EQ(parse_campaign(one_pool("", R"("utc_offset": "-00:00",)"), "r").utc_offset, 0);
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("utc_offset": "Z",)"), "utc_offset"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("utc_offset": "+24:00",)"), "utc_offset"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("utc_offset": "+8",)"), "utc_offset"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("max_total_ratio": "1.1234567",)"), "max_total_ratio"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("max_total_ratio": "-1",)"), "max_total_ratio"));
  EXPECT_EQ(parse_campaign(one_pool("", R"("max_total_ratio": "0",)"), "r").max_total_ratio->micros, 0);
}

TEST(ParseCampaign, ReservationSeconds) {
  auto ttl_max = [](const std::string& top) {
    Campaign c = parse_campaign(one_pool("", top), "rules.json");
    return std::make_pair(c.reservation_ttl_seconds, c.reservation_max_seconds);
  };
  EXPECT_EQ(ttl_max(R"("reservation_ttl_seconds": 1800,)"), std::make_pair(std::int64_t{1800}, std::int64_t{1800}));
  EXPECT_EQ(ttl_max(R"("reservation_max_seconds": 900,)"), std::make_pair(std::int64_t{900}, std::int64_t{900}));
  EXPECT_EQ(ttl_max(R"("reservation_ttl_seconds": 1, "reservation_max_seconds": 1,)"),
            std::make_pair(std::int64_t{1}, std::int64_t{1}));
  EXPECT_EQ(ttl_max(R"("reservation_ttl_seconds": 3600, "reservation_max_seconds": 1000000000000,)"),
            std::make_pair(std::int64_t{3600}, std::int64_t{1'000'000'000'000}));
  EXPECT_EQ(ttl_max(R"("reservation_ttl_seconds": 1000000000000, "reservation_max_seconds": 1000000000000,)"),
            std::make_pair(std::int64_t{1'000'000'000'000}, std::int64_t{1'000'000'000'000}));
  // ttl 3600 alone: the default max is 1800, below it.
  auto alone = error_of([] { parse_campaign(one_pool("", R"("reservation_ttl_seconds": 3600,)"), "rules.json"); });
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->kind(), ErrorKind::rules);
  EXPECT_NE(std::string(alone->what()).find("reservation_"), std::string::npos) << alone->what();
  // max 899 alone: below the default ttl 900.
  auto low = error_of([] { parse_campaign(one_pool("", R"("reservation_max_seconds": 899,)"), "rules.json"); });
  ASSERT_TRUE(low);
  EXPECT_EQ(low->kind(), ErrorKind::rules);
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_ttl_seconds": 0,)"), "reservation_ttl_seconds"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_ttl_seconds": -5,)"), "reservation_ttl_seconds"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_max_seconds": 0,)"), "reservation_max_seconds"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_max_seconds": 1000000000001,)"), "reservation_max_seconds"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_ttl_seconds": 1000000000001, "reservation_max_seconds": 1000000000000,)"),
                           "reservation_ttl_seconds"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_ttl_seconds": "900",)"), "reservation_ttl_seconds"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_ttl_seconds": 900.0,)"), "reservation_ttl_seconds"));
  EXPECT_TRUE(RulesErrorAt(one_pool("", R"("reservation_ttl_seconds": 60, "reservation_max_seconds": 59,)"),
                           "reservation_max_seconds"));
}

TEST(ParseCampaign, ErrorsNameTheFileGiven) {
  auto e = error_of([] { parse_campaign(R"({"pools": []})", "/some/dir/campaign rules.json"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(std::string(e->what()).rfind("/some/dir/campaign rules.json: pools: ", 0), 0u) << e->what();
}

}  // namespace
}  // namespace matchfund
