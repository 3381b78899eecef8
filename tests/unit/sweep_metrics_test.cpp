// The sweep's outcome metrics on inputs small enough to compute by hand
// (docs/simulation.md has the formulas).
#include <gtest/gtest.h>

#include <cmath>

#include "engine/ingest.hpp"
#include "engine/simulation.hpp"
#include "engine/sweep/inequality.hpp"
#include "engine/sweep/scenario_metrics.hpp"

using namespace matchfund;
using namespace matchfund::sweep;

namespace {

Eigen::ArrayXd values(std::initializer_list<double> v) {
  Eigen::ArrayXd a(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) a[i++] = x;
  return a;
}

double metric(const ScenarioOutcome& o, const std::string& name) {
  for (const auto& [n, v] : o.metrics)
    if (n == name) return v;
  ADD_FAILURE() << "no metric " << name;
  return std::nan("");
}

}  // namespace

TEST(SweepInequality, GiniByHand) {
  EXPECT_DOUBLE_EQ(gini(values({1, 1, 1, 1})), 0.0);           // 2*10/16 - 5/4
  EXPECT_DOUBLE_EQ(gini(values({0, 0, 0, 1})), 0.75);          // 2*4/4 - 5/4
  EXPECT_NEAR(gini(values({3, 1, 2})), 4.0 / 18.0, 1e-12);      // 2*14/18 - 4/3, order does not matter
  EXPECT_DOUBLE_EQ(gini(values({})), 0.0);
  EXPECT_DOUBLE_EQ(gini(values({0, 0})), 0.0);
}

TEST(SweepInequality, LorenzCurveByHand) {
  // Two projects with 1 and 3: the poorer half holds a quarter.
  EXPECT_EQ(lorenz_curve(values({3, 1}), 2), (std::vector<double>{0, 0.25, 1}));
  // Between the steps the curve is linear: at 1/4 of the population, half of the poorer one's 1/4.
  const auto quarter = lorenz_curve(values({1, 3}), 4);
  EXPECT_DOUBLE_EQ(quarter[1], 0.125);
  EXPECT_DOUBLE_EQ(quarter[3], 0.625);
  // Nothing to share: the equality line.
  EXPECT_EQ(lorenz_curve(values({0, 0}), 2), (std::vector<double>{0, 0.5, 1}));
}

TEST(SweepInequality, TopShareAndQuantilesByHand) {
  EXPECT_DOUBLE_EQ(top_share(values({1, 2, 3, 4}), 0.25), 0.4);
  EXPECT_DOUBLE_EQ(top_share(values({1, 2, 3, 4}), 0.01), 0.4);  // at least one project
  EXPECT_DOUBLE_EQ(top_share(values({1, 2, 3, 4}), 0.5), 0.7);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.1), 1.3);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 1.0), 4.0);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(SweepMetrics, ASmallCampaignByHand) {
  // One 1:1 pool of 25.00, at most 10.00 per donor. Four donations:
  //   d1 ann -> p1 10.00: grant 10.00, ann reaches her cap exactly (limit none)
  //   d2 ann -> p1  5.00: grant 0 (per_donor)
  //   d3 bob -> p2 10.00: grant 10.00
  //   d4 cat -> p3 20.00: grant 5.00 (pool), the pool runs out
  const char* rules = R"({"pools": [{"id": "m", "budget": "25", "match": {"ratio": "1"},
                          "caps": {"per_donor": {"amount": "10"}}}]})";
  const char* projects = "project,category,org\np1,health,o1\np2,health,o1\np3,school,o2\n";
  const char* donations =
      "id,time,donor,project,amount,channel\n"
      "d1,2017-09-07T01:00:00Z,ann,p1,10.00,cash\n"
      "d2,2017-09-07T02:00:00Z,ann,p1,5.00,cash\n"
      "d3,2017-09-07T03:00:00Z,bob,p2,10.00,coins\n"
      "d4,2017-09-07T05:00:00Z,cat,p3,20.00,cash\n";
  Campaign campaign = parse_campaign(rules, "rules.json");
  Catalog catalog;
  read_projects(projects, "projects.csv", catalog);
  const DonationStream stream = read_donations(donations, "donations.csv", 2, catalog);
  const StreamFacts facts = stream_facts(stream, catalog, 2);
  const Plan plan(campaign, catalog);
  Allocator allocator(plan, catalog);
  MetricsSink sink(plan, catalog, stream, facts);
  run_allocation(allocator, stream, sink);
  const ScenarioOutcome o = sink.finish(allocator);

  EXPECT_DOUBLE_EQ(metric(o, "matched"), 25);
  EXPECT_DOUBLE_EQ(metric(o, "donated"), 45);
  EXPECT_DOUBLE_EQ(metric(o, "public_per_match"), 45.0 / 25.0);
  EXPECT_DOUBLE_EQ(metric(o, "matched_donations"), 3);
  EXPECT_DOUBLE_EQ(metric(o, "matched_donation_share"), 0.75);
  EXPECT_DOUBLE_EQ(metric(o, "donors_capped"), 1);  // ann's second donation hit per_donor
  // Projects matched 10, 10, 5 of 15, 10, 20 donated: ratios 2/3, 1, 1/4.
  EXPECT_DOUBLE_EQ(metric(o, "ratio_median"), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(metric(o, "ratio_p10"), 0.25 + 0.2 * (2.0 / 3.0 - 0.25));
  EXPECT_NEAR(metric(o, "gini_projects"), 2 * (1 * 5 + 2 * 10 + 3 * 10) / (3.0 * 25) - 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(metric(o, "gini_orgs"), 2 * (1 * 5 + 2 * 20) / (2.0 * 25) - 3.0 / 2.0, 1e-12);  // o1 20, o2 5
  EXPECT_DOUBLE_EQ(metric(o, "top1pct_project_share"), 0.4);
  EXPECT_DOUBLE_EQ(metric(o, "pool:m:budget_used"), 1.0);
  EXPECT_DOUBLE_EQ(metric(o, "pool:m:ran_out_hours"), 4.0);  // 05:00, four hours after the first donation
  EXPECT_DOUBLE_EQ(metric(o, "category:health:share"), 0.8);
  EXPECT_DOUBLE_EQ(metric(o, "category:school:share"), 0.2);
  EXPECT_DOUBLE_EQ(metric(o, "channel:coins:share"), 0.4);
  // The depletion curve ends at the pool's total and never goes down.
  ASSERT_EQ(o.cumulative.size(), 1u);
  EXPECT_DOUBLE_EQ(o.cumulative[0].back(), 25);
  for (std::size_t b = 1; b < o.cumulative[0].size(); ++b) EXPECT_LE(o.cumulative[0][b - 1], o.cumulative[0][b]);
  EXPECT_EQ(o.bin_end.back(), stream.time.back() + 1);
}
