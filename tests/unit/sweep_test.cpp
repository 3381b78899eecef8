// matchfund sweep: rules paths, the scenario grid, and every scenario giving
// exactly what simulate gives for its rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/error.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/simulation.hpp"
#include "engine/sweep/rules_path.hpp"
#include "engine/sweep/sweep.hpp"
#include "unit/test_support.hpp"

namespace fs = std::filesystem;
using namespace matchfund;
using namespace matchfund::sweep;
using matchfund::test_support::error_of;
using matchfund::test_support::slurp;

namespace {

nlohmann::json two_pools() {
  return nlohmann::json::parse(R"({"seed": 7, "pools": [
      {"id": "day-1.a", "budget": "100", "priority": 2, "match": {"ratio": "1"}, "caps": {"per_donor": {"amount": "10"}}},
      {"id": "b", "budget": "50", "match": {"random": {"min": "0.1", "max": "1", "step": "0.1"}}}]})");
}

std::string set(nlohmann::json rules, const std::string& path, const std::string& value) {
  set_rules_field(rules, parse_rules_path(path), value);
  return rules.dump();
}

}  // namespace

TEST(SweepRulesPath, FieldsByPoolIdOrIndex) {
  auto rules = two_pools();
  set_rules_field(rules, parse_rules_path("pools[day-1.a].caps.per_donor.amount"), "99");
  EXPECT_EQ(rules["pools"][0]["caps"]["per_donor"]["amount"], "99");  // a string stays a string
  set_rules_field(rules, parse_rules_path("pools[1].match.random.max"), "0.5");
  EXPECT_EQ(rules["pools"][1]["match"]["random"]["max"], "0.5");
  set_rules_field(rules, parse_rules_path("pools[0].priority"), "5");
  EXPECT_EQ(rules["pools"][0]["priority"], 5);  // an integer stays an integer
  set_rules_field(rules, parse_rules_path("pools[b].caps.per_project.amount"), "20");  // created
  EXPECT_EQ(rules["pools"][1]["caps"]["per_project"]["amount"], "20");
  set_rules_field(rules, parse_rules_path("max_total_ratio"), "2");
  EXPECT_EQ(rules["max_total_ratio"], "2");
  set_rules_field(rules, parse_rules_path("pools[b].stack"), "false");
  EXPECT_EQ(rules["pools"][1]["stack"], false);
}

TEST(SweepRulesPath, BadPathsAndValuesNameThemselves) {
  struct Case {
    std::string path, value, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"pools[nope].budget", "1", "no element with id \"nope\""},
           {"pools[9].budget", "1", "no element 9"},
           {"pools[0].priority", "high", "\"high\" is not an integer"},
           {"pools[0]", "1", "name a field"},
           {"seed.x", "1", "not an object"},
           {"pool[0].budget", "1", "the rules have no \"pool\""},
       }) {
    auto e = error_of([&] { set(two_pools(), c.path, c.value); });
    ASSERT_TRUE(e) << c.path;
    EXPECT_EQ(e->kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e->what()).find("--vary " + c.path), std::string::npos) << e->what();
    EXPECT_NE(std::string(e->what()).find(c.expected), std::string::npos) << e->what();
  }
  for (const char* syntax : {"", "pools[0", "pools[].x", "a..b", "a.b-c"})
    EXPECT_TRUE(error_of([&] { parse_rules_path(syntax); })) << syntax;
}

TEST(SweepRulesPath, ValuesSplitOnCommasOutsideQuotes) {
  EXPECT_EQ(split_values("99,999"), (std::vector<std::string>{"99", "999"}));
  EXPECT_EQ(split_values(R"(1,"[1,2]",x)"), (std::vector<std::string>{"1", "[1,2]", "x"}));
}

TEST(SweepScenarios, TheGridIsEveryCombinationTimesEverySeed) {
  SweepSpec spec;
  spec.rules.push_back({"rules.json", two_pools().dump()});
  spec.axes.push_back({parse_rules_path("pools[0].caps.per_donor.amount"), {"5", "10", "20"}});
  spec.axes.push_back({parse_rules_path("pools[b].match.random.max"), {"0.5", "1"}});
  spec.seeds = 2;
  const auto scenarios = expand_scenarios(spec);
  ASSERT_EQ(scenarios.size(), 3u * 2u * 2u);
  EXPECT_EQ(scenarios[0].first.values, (std::vector<std::string>{"5", "0.5"}));
  EXPECT_EQ(scenarios[0].first.seed, 1);
  EXPECT_EQ(scenarios[1].first.seed, 2);
  EXPECT_EQ(scenarios[2].first.values, (std::vector<std::string>{"5", "1"}));  // the last axis varies fastest
  EXPECT_EQ(scenarios.back().first.values, (std::vector<std::string>{"20", "1"}));
  EXPECT_EQ(nlohmann::json::parse(scenarios[3].second)["seed"], 2);
  // A value the rules refuse is an error naming the scenario, before anything runs.
  spec.axes[0].values.push_back("-1");
  auto e = error_of([&] { expand_scenarios(spec); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::rules);
  EXPECT_NE(std::string(e->what()).find("pools[0].caps.per_donor.amount=-1"), std::string::npos) << e->what();
}

TEST(SweepRun, EveryScenarioGivesWhatSimulateGives) {
  const fs::path root = fs::path(MATCHFUND_SHARED_DIR) / "conformance" / "cases";
  int cases = 0;
  for (const char* name : {"038-mixed-small-campaign", "055-random-01", "024-max-total-ratio"}) {
    const fs::path dir = root / name;
    if (!fs::exists(dir)) continue;
    SCOPED_TRACE(name);
    ++cases;
    SweepSpec spec;
    spec.rules.push_back({"rules.json", slurp(dir / "rules.json")});
    spec.axes.push_back({parse_rules_path("max_total_ratio"), {"0.5", "1", "3"}});
    spec.seeds = 2;
    spec.donations_label = "donations.csv";
    const std::string donations = slurp(dir / "donations.csv");
    spec.donations_text = donations;
    if (fs::exists(dir / "projects.csv")) {
      spec.projects_label = "projects.csv";
      spec.projects_text = slurp(dir / "projects.csv");
    }
    char pattern[] = "/tmp/matchfund-sweep-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    spec.out_dir = std::string(pattern) + "/out";
    spec.threads = 2;
    run_sweep(spec);
    const auto scenarios = expand_scenarios(spec);
    ASSERT_EQ(scenarios.size(), 6u);
    for (std::size_t n = 0; n < scenarios.size(); ++n) {
      // simulate, in process, on this scenario's rules
      Campaign campaign = parse_campaign(scenarios[n].second, "rules.json");
      Catalog catalog;
      if (!spec.projects_text.empty()) read_projects(spec.projects_text, "projects.csv", catalog);
      const DonationStream stream = read_donations(spec.donations_text, "donations.csv", campaign.minor_units, catalog);
      const Plan plan(campaign, catalog);
      Allocator allocator(plan, catalog);
      NullSink sink;
      run_allocation(allocator, stream, sink);
      const fs::path scenario = fs::path(spec.out_dir) / "scenarios" / std::to_string(n);
      EXPECT_EQ(slurp(scenario / "summary.json"), summary_json(plan, stream, allocator)) << n;
      EXPECT_EQ(slurp(scenario / "rules.json"), scenarios[n].second);
    }
    // metrics.csv: a header and one row per scenario and seed; bands: one per scenario.
    std::ifstream metrics(fs::path(spec.out_dir) / "metrics.csv");
    std::string line;
    int rows = -1;
    while (std::getline(metrics, line)) ++rows;
    EXPECT_EQ(rows, 6);
    std::ifstream bands(fs::path(spec.out_dir) / "metrics_bands.csv");
    rows = -1;
    while (std::getline(bands, line)) ++rows;
    EXPECT_EQ(rows, 3);
    // A second run into the same folder is refused and leaves it as it was.
    auto again = error_of([&] { run_sweep(spec); });
    ASSERT_TRUE(again);
    EXPECT_EQ(again->kind(), ErrorKind::usage);
    EXPECT_TRUE(fs::exists(fs::path(spec.out_dir) / "metrics.csv"));
    fs::remove_all(pattern);
  }
  EXPECT_EQ(cases, 3) << "the shared conformance cases were not found";
}
