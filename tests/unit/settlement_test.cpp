// Round settlement (SPEC 7 and the settlement corners of SPEC 8).
//
// Small rounds are computed by hand in the comments; a budget of "140.00"
// with minor_units 2 is 14000 minor units, and every expected match below is
// written in minor units (cents). The property tests compare the engine with
// an independent reference written here in exact rationals and 50-digit
// binary floating point; the CLI tests run the real binary.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/error.hpp"
#include "engine/rules.hpp"
#include "engine/settlement/contributions.hpp"
#include "engine/settlement/exact_decimal.hpp"
#include "engine/settlement/settle.hpp"
#include "engine/settlement/settlement_report.hpp"
#include "engine/settlement/settlement_rules.hpp"
#include "unit/test_support.hpp"

namespace matchfund {
namespace {

namespace fs = std::filesystem;
using Big = boost::multiprecision::cpp_bin_float_50;
using Rat = boost::multiprecision::cpp_rational;
using BigInt = boost::multiprecision::cpp_int;

#define EXPECT_CONTAINS(haystack, needle)                          \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) \
      << "expected to find [" << (needle) << "] in [" << (haystack) << "]"

double d(const Quad& q) { return static_cast<double>(q); }

Big to_big(const Quad& q) { return Big(q.str(40, std::ios_base::scientific)); }
Big to_big(const Rat& r) {
  return Big(boost::multiprecision::numerator(r)) / Big(boost::multiprecision::denominator(r));
}

// A settlement rules file with one pool "p" of `budget` whose "settle" object
// holds `settle` (the text between the braces).
std::string one_pool(const std::string& budget, const std::string& settle, int minor_units = 2) {
  return R"({"minor_units": )" + std::to_string(minor_units) + R"(, "pools": [{"id": "p", "budget": ")" + budget +
         R"(", "settle": {)" + settle + "}}]}";
}

struct Round {
  SettlementRules rules;
  Contributions in;
  PoolResult out;

  const ProjectResult* find(std::string_view project) const {
    for (const ProjectResult& r : out.projects)
      if (in.projects.name(r.project) == project) return &r;
    return nullptr;
  }
  const ProjectResult& row(std::string_view project) const {
    const ProjectResult* r = find(project);
    if (r == nullptr) throw std::runtime_error("no output row for project " + std::string(project));
    return *r;
  }
  Minor match(std::string_view project) const { return row(project).match; }
  std::vector<std::string> projects() const {
    std::vector<std::string> names;
    for (const ProjectResult& r : out.projects) names.emplace_back(in.projects.name(r.project));
    return names;
  }
};

Round run(const std::string& rules_text, const std::string& csv, const ColumnMap& map = {}) {
  Round r;
  r.rules = parse_settlement_rules(rules_text, "rules.json");
  r.in = read_contributions(csv, "contributions.csv", map);
  r.out = settle_pool(r.rules.pools.at(0), r.in, r.rules.campaign.minor_units);
  return r;
}

Round settle(const std::string& budget, const std::string& settle_fields, const std::string& csv, int minor_units = 2) {
  return run(one_pool(budget, settle_fields, minor_units), csv);
}

Minor total(const Round& r) {
  Minor sum = 0;
  for (const ProjectResult& p : r.out.projects) sum += p.match;
  EXPECT_EQ(sum, r.out.matched);
  return sum;
}

using matchfund::test_support::error_of;

// ---------------------------------------------------------------------------
// quadratic: r(p) = (sum_i sqrt c(i,p))^2, minus sum_i c(i,p) when subtracting.

// x gives A four rows 0.5 + 1.5 + 0.5 + 1.5 (sum 4, mean 1); y gives A 9;
// x and z give B 1 each.
const char* kQuadraticRows =
    "donor,project,amount\n"
    "x,A,0.5\n"
    "x,A,1.5\n"
    "x,A,0.5\n"
    "x,A,1.5\n"
    "y,A,9\n"
    "x,B,1\n"
    "z,B,1\n";

TEST(SettleQuadratic, SumAggregationSubtracting) {
  // sum: c(x,A) = 4, c(y,A) = 9.
  // r(A) = (sqrt 4 + sqrt 9)^2 - (4 + 9) = 25 - 13 = 12
  // r(B) = (1 + 1)^2 - 2 = 2;  total 14
  // budget 140.00: A = 140 * 12/14 = 120.00, B = 140 * 2/14 = 20.00
  Round r = settle("140.00", R"("mechanism": "quadratic", "aggregate": "sum", "subtract_contributions": true)",
                   kQuadraticRows);
  ASSERT_EQ(r.projects(), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(r.row("A").donors, 2u);
  EXPECT_DOUBLE_EQ(d(r.row("A").contributed), 13.0);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 12.0);
  EXPECT_DOUBLE_EQ(d(r.row("A").share), 12.0 / 14.0);
  EXPECT_DOUBLE_EQ(d(r.row("B").raw), 2.0);
  EXPECT_EQ(r.match("A"), 12000);
  EXPECT_EQ(r.match("B"), 2000);
  EXPECT_EQ(total(r), 14000);
  EXPECT_EQ(r.out.donors, 3u);  // x, y, z

  // The defaults are aggregate "sum" and subtract_contributions true.
  Round defaults = settle("140.00", R"("mechanism": "quadratic")", kQuadraticRows);
  EXPECT_EQ(defaults.match("A"), 12000);
  EXPECT_EQ(defaults.match("B"), 2000);
}

TEST(SettleQuadratic, MeanAggregationSubtracting) {
  // mean: c(x,A) = (0.5 + 1.5 + 0.5 + 1.5) / 4 = 1, c(y,A) = 9.
  // r(A) = (1 + 3)^2 - (1 + 9) = 16 - 10 = 6;  r(B) = 2;  total 8
  // budget 140.00: A = 140 * 6/8 = 105.00, B = 140 * 2/8 = 35.00
  // contributed(A) sums the per-donor means: 1 + 9 = 10, not the 13 given.
  Round r = settle("140.00", R"("mechanism": "quadratic", "aggregate": "mean")", kQuadraticRows);
  EXPECT_DOUBLE_EQ(d(r.row("A").contributed), 10.0);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 6.0);
  EXPECT_EQ(r.row("A").donors, 2u);
  EXPECT_EQ(r.match("A"), 10500);
  EXPECT_EQ(r.match("B"), 3500);
  EXPECT_EQ(total(r), 14000);
}

TEST(SettleQuadratic, SumAggregationWithoutSubtracting) {
  // r(A) = (2 + 3)^2 = 25;  r(B) = (1 + 1)^2 = 4;  total 29
  // budget 145.00: A = 145 * 25/29 = 125.00, B = 145 * 4/29 = 20.00
  Round r = settle("145.00", R"("mechanism": "quadratic", "subtract_contributions": false)", kQuadraticRows);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 25.0);
  EXPECT_DOUBLE_EQ(d(r.row("B").raw), 4.0);
  EXPECT_EQ(r.match("A"), 12500);
  EXPECT_EQ(r.match("B"), 2000);
}

TEST(SettleQuadratic, MeanAggregationWithoutSubtracting) {
  // r(A) = (1 + 3)^2 = 16;  r(B) = 4;  total 20
  // budget 140.00: A = 140 * 16/20 = 112.00, B = 140 * 4/20 = 28.00
  Round r = settle("140.00", R"("mechanism": "quadratic", "aggregate": "mean", "subtract_contributions": false)",
                   kQuadraticRows);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 16.0);
  EXPECT_EQ(r.match("A"), 11200);
  EXPECT_EQ(r.match("B"), 2800);
}

TEST(SettleQuadratic, OneDonorAloneWithSubtractIsExactlyZero) {
  // A: only x, with 2 + 3 = 5 (sqrt 5 is irrational): (sqrt 5)^2 - 5 is 0 in
  // the reals and must be exactly 0, not a rounding residue.
  // B: (1 + 1)^2 - 2 = 2, so B takes the whole 100.00.
  Round r = settle("100.00", R"("mechanism": "quadratic")", "donor,project,amount\nx,A,2\nx,A,3\nx,B,1\ny,B,1\n");
  EXPECT_TRUE(r.row("A").raw == 0) << r.row("A").raw;
  EXPECT_TRUE(r.row("A").share == 0) << r.row("A").share;
  EXPECT_EQ(r.row("A").donors, 1u);
  EXPECT_EQ(r.match("A"), 0);
  EXPECT_EQ(r.match("B"), 10000);

  // The same under mean aggregation (c = 2.5) and with a single row 0.3.
  Round mean = settle("100.00", R"("mechanism": "quadratic", "aggregate": "mean")",
                      "donor,project,amount\nx,A,2\nx,A,3\nw,C,0.3\nx,B,1\ny,B,1\n");
  EXPECT_TRUE(mean.row("A").raw == 0) << mean.row("A").raw;
  EXPECT_TRUE(mean.row("C").raw == 0) << mean.row("C").raw;
  EXPECT_EQ(mean.match("B"), 10000);
}

TEST(SettleQuadratic, EveryRawZeroPaysNothing) {
  // Every project has one donor and contributions are subtracted: every
  // r(p) = 0, so no share is defined and the pool pays nothing; the rows are
  // still written.
  Round r = settle("100.00", R"("mechanism": "quadratic")", "donor,project,amount\nx,A,2\ny,B,3\ny,B,7\nz,C,0.5\n");
  ASSERT_EQ(r.projects(), (std::vector<std::string>{"A", "B", "C"}));
  for (const ProjectResult& p : r.out.projects) {
    EXPECT_TRUE(p.raw == 0);
    EXPECT_TRUE(p.share == 0);
    EXPECT_EQ(p.match, 0);
  }
  EXPECT_EQ(r.out.matched, 0);
  EXPECT_EQ(r.out.donors, 3u);

  // cluster_profile: x and y both give only to A, so A has one cluster.
  Round c = settle("100.00", R"("mechanism": "cluster_profile")", "donor,project,amount\nx,A,2\ny,A,3\n");
  EXPECT_TRUE(c.row("A").raw == 0) << c.row("A").raw;
  EXPECT_EQ(c.out.matched, 0);

  // pairwise: a single donor has no pair.
  Round p = settle("100.00", R"("mechanism": "pairwise")", "donor,project,amount\nx,A,2\n");
  EXPECT_TRUE(p.row("A").raw == 0);
  EXPECT_EQ(p.out.matched, 0);
}

// ---------------------------------------------------------------------------
// weights and min_contribution

const char* kWeightRows =
    "donor,project,amount,weight\n"
    "x,A,4,1\n"
    "y,A,9,0.25\n"
    "z,A,16,0\n"
    "x,B,1,1\n"
    "w,B,1,1.00\n";

TEST(SettleWeights, MultiplyScalesEachAmount) {
  // multiply: c(x,A) = 4 * 1 = 4, c(y,A) = 9 * 0.25 = 2.25, z: 16 * 0 = 0 is
  // not counted (a row counts when its weighted amount is > 0).
  // r(A) = (2 + 1.5)^2 - (4 + 2.25) = 12.25 - 6.25 = 6
  // r(B) = (1 + 1)^2 - 2 = 2;  total 8
  // budget 80.00: A = 80 * 6/8 = 60.00, B = 80 * 2/8 = 20.00
  Round r = settle("80.00", R"("mechanism": "quadratic", "weights": "multiply")", kWeightRows);
  EXPECT_EQ(r.row("A").donors, 2u);
  EXPECT_DOUBLE_EQ(d(r.row("A").contributed), 6.25);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 6.0);
  EXPECT_EQ(r.match("A"), 6000);
  EXPECT_EQ(r.match("B"), 2000);
  EXPECT_EQ(r.out.donors, 3u);  // x, y, w; z never counts

  Round defaults = settle("80.00", R"("mechanism": "quadratic")", kWeightRows);
  EXPECT_EQ(defaults.match("A"), 6000);
}

TEST(SettleWeights, BinaryCountsOnlyWeightExactlyOne) {
  // binary: only weight == 1 by value counts ("1.00" does); 0.25 and 0 do not.
  // A: x alone -> r(A) = 4 - 4 = 0.   B: x 1 and w 1 -> r(B) = 4 - 2 = 2.
  // budget 80.00: B takes everything.
  Round r = settle("80.00", R"("mechanism": "quadratic", "weights": "binary")", kWeightRows);
  EXPECT_EQ(r.row("A").donors, 1u);
  EXPECT_DOUBLE_EQ(d(r.row("A").contributed), 4.0);
  EXPECT_TRUE(r.row("A").raw == 0);
  EXPECT_EQ(r.row("B").donors, 2u);
  EXPECT_EQ(r.match("A"), 0);
  EXPECT_EQ(r.match("B"), 8000);
  EXPECT_EQ(r.out.donors, 2u);  // x, w
}

TEST(SettleMinContribution, ComparedAfterWeights) {
  // min_contribution 4.00, compared with the amount after weights:
  //   x,A 18 * 0.5  = 9  counted
  //   y,A  4 * 1    = 4  counted (equal is not below)
  //   z,A  1 * 1    = 1  dropped
  //   u,A  8 * 0.25 = 2  dropped, although 8 >= 4
  //   x,B 9, v,B 9       counted
  // r(A) = (3 + 2)^2 - 13 = 12;  r(B) = (3 + 3)^2 - 18 = 18;  total 30
  // budget 100.00: A = 100 * 12/30 = 40.00, B = 100 * 18/30 = 60.00
  const char* rows =
      "donor,project,amount,weight\n"
      "x,A,18,0.5\n"
      "y,A,4,1\n"
      "z,A,1,1\n"
      "u,A,8,0.25\n"
      "x,B,9,1\n"
      "v,B,9,1\n";
  Round r = settle("100.00", R"("mechanism": "quadratic", "min_contribution": "4.00")", rows);
  EXPECT_EQ(r.row("A").donors, 2u);
  EXPECT_DOUBLE_EQ(d(r.row("A").contributed), 13.0);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 12.0);
  EXPECT_EQ(r.match("A"), 4000);
  EXPECT_EQ(r.match("B"), 6000);
  EXPECT_EQ(r.out.donors, 3u);  // x, y, v

  // 4.01: y's 4 is now below too; A keeps x alone, r(A) = 0, B takes 100.00.
  Round higher = settle("100.00", R"("mechanism": "quadratic", "min_contribution": "4.01")", rows);
  EXPECT_EQ(higher.row("A").donors, 1u);
  EXPECT_EQ(higher.match("A"), 0);
  EXPECT_EQ(higher.match("B"), 10000);
}

TEST(SettleMinContribution, DropsRowsBeforeTheMean) {
  // x gives A 1 and 9, y gives A 4; mean; min_contribution 2:
  // x's 1 is dropped before aggregation, so c(x,A) = 9 (not (1 + 9)/2 = 5).
  // r(A) = (3 + 2)^2 - 13 = 12, contributed 13.
  Round r = settle("10.00", R"("mechanism": "quadratic", "aggregate": "mean", "min_contribution": "2")",
                   "donor,project,amount\nx,A,1\nx,A,9\ny,A,4\n");
  EXPECT_DOUBLE_EQ(d(r.row("A").contributed), 13.0);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 12.0);
  // Without the minimum: c(x,A) = 5, contributed 9.
  Round all = settle("10.00", R"("mechanism": "quadratic", "aggregate": "mean")",
                     "donor,project,amount\nx,A,1\nx,A,9\ny,A,4\n");
  EXPECT_DOUBLE_EQ(d(all.row("A").contributed), 9.0);
}

// ---------------------------------------------------------------------------
// cluster_profile

const char* kClusterRows =
    "donor,project,amount,weight\n"
    "x,A,2,1\n"
    "x,B,8,1\n"
    "y,A,2,1\n"
    "y,B,1,1\n"
    "z,A,1,1\n"
    "z,B,5,0\n"  // weight 0: not counted, so z's cluster stays {A}
    "w,B,16,1\n";

TEST(SettleClusterProfile, DonorsGroupedBySetOfProjects) {
  // Clusters by counted rows: x {A,B}, y {A,B}, z {A}, w {B}.
  // A: B(A,{A,B}) = 2 + 2 = 4, B(A,{A}) = 1
  //    r(A) = (sqrt 4 + sqrt 1)^2 - (4 + 1) = 9 - 5 = 4
  // B: B(B,{A,B}) = 8 + 1 = 9, B(B,{B}) = 16
  //    r(B) = (3 + 4)^2 - (9 + 16) = 49 - 25 = 24;  total 28
  // budget 280.00: A = 280 * 4/28 = 40.00, B = 280 * 24/28 = 240.00
  // (Had z's weight-0 row counted, z would join {A,B}, A would have one
  // cluster and r(A) would be 0.)
  Round r = settle("280.00", R"("mechanism": "cluster_profile")", kClusterRows);
  EXPECT_EQ(r.row("A").donors, 3u);
  EXPECT_EQ(r.row("B").donors, 3u);
  EXPECT_DOUBLE_EQ(d(r.row("A").contributed), 5.0);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 4.0);
  EXPECT_DOUBLE_EQ(d(r.row("B").raw), 24.0);
  EXPECT_EQ(r.match("A"), 4000);
  EXPECT_EQ(r.match("B"), 24000);

  // Without subtracting: r(A) = 3^2 = 9, r(B) = 7^2 = 49; budget 58.00.
  Round plain = settle("58.00", R"("mechanism": "cluster_profile", "subtract_contributions": false)", kClusterRows);
  EXPECT_DOUBLE_EQ(d(plain.row("A").raw), 9.0);
  EXPECT_DOUBLE_EQ(d(plain.row("B").raw), 49.0);
  EXPECT_EQ(plain.match("A"), 900);
  EXPECT_EQ(plain.match("B"), 4900);

  // Plain quadratic on the same rows treats x and y separately:
  // r(A) = (sqrt 2 + sqrt 2 + 1)^2 - 5 = 4 + 4 sqrt 2.
  Round q = settle("280.00", R"("mechanism": "quadratic")", kClusterRows);
  EXPECT_NEAR(d(q.row("A").raw), 4.0 + 4.0 * std::sqrt(2.0), 1e-12);
}

// ---------------------------------------------------------------------------
// pairwise: r(p) = sum over ordered pairs (i, j), i != j, of
//   M / (M + sum_q sqrt(c_iq c_jq)) * sqrt(c_ip c_jp)

const char* kPairwiseRows =
    "donor,project,amount\n"
    "a,P,1\n"
    "b,P,4\n"
    "c,P,16\n"
    "a,Q,1\n"
    "c,Q,9\n";

TEST(SettlePairwise, ThreeDonorsTwoProjectsWithMOne) {
  // c(a,P) = 1, c(b,P) = 4, c(c,P) = 16, c(a,Q) = 1, c(c,Q) = 9.
  // co-funding S(i,j) = sum_q sqrt(c_iq c_jq):
  //   S(a,b) = sqrt(1*4) = 2;  S(a,c) = sqrt(1*16) + sqrt(1*9) = 7;  S(b,c) = sqrt(4*16) = 8
  // M = 1: k(a,b) = 1/3, k(a,c) = 1/8, k(b,c) = 1/9
  // r(P) = 2 * (1/3 * 2 + 1/8 * 4 + 1/9 * 8) = 2 * 37/18 = 37/9
  // r(Q) = 2 * (1/8 * 3) = 3/4;  total 37/9 + 3/4 = 175/36
  // s(P) = (37/9) / (175/36) = 148/175,  s(Q) = 27/175
  // budget 175.00: P = 148.00, Q = 27.00
  Round r = settle("175.00", R"("mechanism": "pairwise", "pairwise_m": "1")", kPairwiseRows);
  EXPECT_NEAR(d(r.row("P").raw), 37.0 / 9.0, 1e-15);
  EXPECT_NEAR(d(r.row("Q").raw), 0.75, 1e-15);
  EXPECT_NEAR(d(r.row("P").share), 148.0 / 175.0, 1e-15);
  EXPECT_EQ(r.row("P").donors, 3u);
  EXPECT_EQ(r.row("Q").donors, 2u);
  EXPECT_EQ(r.match("P"), 14800);
  EXPECT_EQ(r.match("Q"), 2700);

  // subtract_contributions does not apply to pairwise.
  Round same =
      settle("175.00", R"("mechanism": "pairwise", "pairwise_m": "1", "subtract_contributions": false)", kPairwiseRows);
  EXPECT_EQ(same.match("P"), 14800);
}

TEST(SettlePairwise, ThreeDonorsTwoProjectsWithMHalf) {
  // M = 0.5: k(a,b) = 0.5/2.5 = 1/5, k(a,c) = 0.5/7.5 = 1/15, k(b,c) = 0.5/8.5 = 1/17
  // r(P) = 2 * (2/5 + 4/15 + 8/17) = 2 * 290/255 = 116/51
  // r(Q) = 2 * 3/15 = 2/5;  total = (580 + 102)/255 = 682/255
  // s(P) = 580/682 = 290/341, s(Q) = 51/341;  budget 341.00: P = 290.00, Q = 51.00
  Round r = settle("341.00", R"("mechanism": "pairwise", "pairwise_m": "0.5")", kPairwiseRows);
  EXPECT_NEAR(d(r.row("P").raw), 116.0 / 51.0, 1e-15);
  EXPECT_NEAR(d(r.row("Q").raw), 0.4, 1e-15);
  EXPECT_EQ(r.match("P"), 29000);
  EXPECT_EQ(r.match("Q"), 5100);
}

TEST(SettlePairwise, DefaultMIsOneHundredth) {
  // M = 0.01: r(P) = 2 (2 M/(M+2) + 4 M/(M+7) + 8 M/(M+8)), r(Q) = 2 * 3 M/(M+7)
  const long double m = 0.01L;
  const long double p = 2 * (2 * m / (m + 2) + 4 * m / (m + 7) + 8 * m / (m + 8));
  const long double q = 2 * (3 * m / (m + 7));
  Round r = settle("100.00", R"("mechanism": "pairwise")", kPairwiseRows);
  EXPECT_NEAR(d(r.row("P").raw), static_cast<double>(p), 1e-15);
  EXPECT_NEAR(d(r.row("Q").raw), static_cast<double>(q), 1e-15);
  // 100 * p/(p+q) = 83.5978...  -> 8359 + 1 leftover unit by largest fraction
  const long double exact_p = 10000 * p / (p + q);
  const long double exact_q = 10000 * q / (p + q);
  EXPECT_LE(std::fabs(static_cast<long double>(r.match("P")) - exact_p), 1.0L);
  EXPECT_LE(std::fabs(static_cast<long double>(r.match("Q")) - exact_q), 1.0L);
  EXPECT_EQ(total(r), 10000);
}

// ---------------------------------------------------------------------------
// pro_rata: r(p) = ratio * sum_i c(i,p)

TEST(SettleProRata, Oversubscribed) {
  // ratio 2: r(A) = 2 * (20 + 10) = 60, r(B) = 2 * 20 = 40; 100 > budget 50
  // s(A) = 0.6, s(B) = 0.4: A = 30.00, B = 20.00
  Round r =
      settle("50.00", R"("mechanism": "pro_rata", "ratio": "2")", "donor,project,amount\nx,A,20\ny,A,10\nx,B,20\n");
  EXPECT_DOUBLE_EQ(d(r.row("A").contributed), 30.0);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 60.0);
  EXPECT_DOUBLE_EQ(d(r.row("A").share), 0.6);
  EXPECT_EQ(r.match("A"), 3000);
  EXPECT_EQ(r.match("B"), 2000);
  EXPECT_EQ(total(r), 5000);
}

TEST(SettleProRata, UndersubscribedPaysRawWithinCapRoundedDown) {
  // ratio 1.5, cap 0.5, budget 100.00 (cap * budget = 50.00):
  //   r(A) = 1.5 * 3.333 = 4.9995   -> match floor(4.9995) = 4.99
  //   r(B) = 1.5 * 10    = 15       -> 15.00
  //   r(C) = 1.5 * 40    = 60       -> min(60, 50) = 50.00
  // sum r = 79.9995 <= 100: undersubscribed, the rest (30.01) is unspent.
  // share = min(r, cap * budget) / budget: A 0.049995, B 0.15, C 0.5
  Round r = settle("100.00", R"("mechanism": "pro_rata", "ratio": "1.5", "cap": "0.5")",
                   "donor,project,amount\nx,A,3.333\ny,B,10\nz,C,40\n");
  EXPECT_EQ(r.match("A"), 499);
  EXPECT_EQ(r.match("B"), 1500);
  EXPECT_EQ(r.match("C"), 5000);
  EXPECT_EQ(total(r), 6999);
  EXPECT_DOUBLE_EQ(d(r.row("A").raw), 4.9995);
  EXPECT_DOUBLE_EQ(d(r.row("A").share), 0.049995);
  EXPECT_DOUBLE_EQ(d(r.row("B").share), 0.15);
  EXPECT_DOUBLE_EQ(d(r.row("C").share), 0.5);
}

TEST(SettleProRata, SumEqualToBudgetIsUndersubscribed) {
  // r(A) = 60, r(B) = 40, sum = 100 = budget: undersubscribed (sum <= budget).
  // cap 0.5: A = min(60, 50) = 50.00, B = 40.00, 10.00 unspent. (Treated as
  // oversubscribed, the cap would move A's excess to B: 50.00 + 50.00.)
  Round r = settle("100.00", R"("mechanism": "pro_rata", "cap": "0.5")", "donor,project,amount\nx,A,60\ny,B,40\n");
  EXPECT_EQ(r.match("A"), 5000);
  EXPECT_EQ(r.match("B"), 4000);
  EXPECT_EQ(total(r), 9000);
}

// ---------------------------------------------------------------------------
// cap

TEST(SettleCap, NeedsSeveralRedistributionPasses) {
  // pro_rata, r = 80, 50, 40, 30 (total 200 > budget 100): shares .4 .25 .2 .15, cap 0.26
  // pass 1: A .4 -> .26, excess .14; below = .25 + .2 + .15 = .6, factor 1 + .14/.6 = 37/30
  //         B = .308333, C = .246667, D = .185
  // pass 2: B -> .26, excess .048333; below = .431667, factor 1.111969
  //         C = .274286, D = .205714
  // pass 3: C -> .26, excess .014286; below = D, D = .22
  // final .26 .26 .26 .22: A = B = C = 26.00, D = 22.00 (sum 100.00)
  Round r = settle("100.00", R"("mechanism": "pro_rata", "cap": "0.26")",
                   "donor,project,amount\nx,A,80\nx,B,50\nx,C,40\nx,D,30\n");
  EXPECT_EQ(r.match("A"), 2600);
  EXPECT_EQ(r.match("B"), 2600);
  EXPECT_EQ(r.match("C"), 2600);
  EXPECT_EQ(r.match("D"), 2200);
  EXPECT_NEAR(d(r.row("D").share), 0.22, 1e-15);
  EXPECT_EQ(total(r), 10000);

  // apply_cap directly: one pass alone would leave B at .308333.
  std::vector<Quad> shares = {Quad(4) / 10, Quad(25) / 100, Quad(2) / 10, Quad(15) / 100};
  apply_cap(shares, Quad(26) / 100);
  EXPECT_NEAR(d(shares[0]), 0.26, 1e-30);
  EXPECT_NEAR(d(shares[1]), 0.26, 1e-16);
  EXPECT_NEAR(d(shares[2]), 0.26, 1e-16);
  EXPECT_NEAR(d(shares[3]), 0.22, 1e-16);
  Quad sum = shares[0] + shares[1] + shares[2] + shares[3];
  EXPECT_LT(d(abs(sum - 1)), 1e-30);

  // Two passes: .6 .2 .1 .1 with cap .3 -> pass 1: .3 .35 .175 .175 -> pass 2: .3 .3 .2 .2
  std::vector<Quad> two = {Quad(6) / 10, Quad(2) / 10, Quad(1) / 10, Quad(1) / 10};
  apply_cap(two, Quad(3) / 10);
  EXPECT_NEAR(d(two[1]), 0.3, 1e-16);
  EXPECT_NEAR(d(two[2]), 0.2, 1e-16);
  EXPECT_NEAR(d(two[3]), 0.2, 1e-16);
}

TEST(SettleCap, NoShareBelowCapLeavesExcessUnspent) {
  // pro_rata r = 60, 40, total 100 > budget 50: shares .6 .4, cap .3
  // both exceed the cap: .3 and .3; no share is below the cap, so the excess
  // .4 stays unspent: A = B = 0.3 * 50 = 15.00, matched 30.00.
  Round r = settle("50.00", R"("mechanism": "pro_rata", "cap": "0.3")", "donor,project,amount\nx,A,60\ny,B,40\n");
  EXPECT_EQ(r.match("A"), 1500);
  EXPECT_EQ(r.match("B"), 1500);
  EXPECT_EQ(total(r), 3000);

  // quadratic: r(A) = (1 + 2)^2 - 5 = 4, r(B) = (1 + 1)^2 - 2 = 2, r(C) = 0
  // (one donor); shares 2/3, 1/3, 0; cap .35:
  // pass 1: A -> .35, excess .3167 goes to B (1/3 * (1 + .3167/.3333) = .65)
  // pass 2: B -> .35, excess .3; the only share below the cap is C's 0, so
  //         nothing can take it: it stays unspent.
  // budget 100.00: A = B = 35.00, C = 0, matched 70.00.
  Round q = settle("100.00", R"("mechanism": "quadratic", "cap": "0.35")",
                   "donor,project,amount\nx,A,1\ny,A,4\nx,B,1\nz,B,1\nw,C,7\n");
  EXPECT_EQ(q.match("A"), 3500);
  EXPECT_EQ(q.match("B"), 3500);
  EXPECT_EQ(q.match("C"), 0);
  EXPECT_EQ(total(q), 7000);
}

// ---------------------------------------------------------------------------
// money: largest remainder, ties by project id, units that cannot be placed

TEST(SettleRounding, TiesByProjectIdByteOrder) {
  // three equal r (pro_rata 1 each, total 3 > budget 0.11): 11 units / 3 =
  // 3.667 each -> floor 3, 2 units left, equal fractions: byte order of the
  // ids "B" (0x42) < "a" (0x61) < "b" (0x62) -> B 4, a 4, b 3.
  Round r = settle("0.11", R"("mechanism": "pro_rata")", "donor,project,amount\nx,b,1\nx,B,1\nx,a,1\n");
  ASSERT_EQ(r.projects(), (std::vector<std::string>{"B", "a", "b"}));
  EXPECT_EQ(r.match("B"), 4);
  EXPECT_EQ(r.match("a"), 4);
  EXPECT_EQ(r.match("b"), 3);
  EXPECT_EQ(total(r), 11);
}

TEST(SettleRounding, LargestRemainderBeforeId) {
  // r(a) = 1, r(z) = 2, budget 0.10 (10 units): 3.333 and 6.667 -> 3 and 6,
  // one unit left: z has the larger fraction (.667 > .333) -> a 3, z 7.
  Round r = settle("0.10", R"("mechanism": "pro_rata")", "donor,project,amount\nx,a,1\nx,z,2\n");
  EXPECT_EQ(r.match("a"), 3);
  EXPECT_EQ(r.match("z"), 7);
}

TEST(SettleRounding, TiesInTheRealsFollowIdWhateverTheOrderOfTheSums) {
  // Projects "a" and "b" have the same multiset of contributions, so r(a) and
  // r(b) are equal real numbers, but the donors of "b" are met in a different
  // order, so a floating sum may round differently. Budget 1.01 = 101 units:
  // 50.5 each -> 50 and 50, one unit left, equal fractions: "a" takes it.
  // Every permutation of b's rows is tried; failures are counted per
  // mechanism and the first one of each is shown.
  const std::vector<std::vector<std::string>> sets = {
      {"2", "3", "5"}, {"0.1", "0.2", "0.3"}, {"7", "11", "13", "17"}, {"1.1", "2.2", "3.3", "4.4", "5.5"}};
  // (cluster_profile without subtracting: every donor of "a" is in cluster
  // {a}, so subtracting would leave r = 0.)
  for (const char* mechanism : {R"("mechanism": "quadratic")", R"("mechanism": "pairwise")",
                                R"("mechanism": "cluster_profile", "subtract_contributions": false)"}) {
    int cases = 0, wrong = 0;
    std::string first_wrong;
    for (const auto& values : sets) {
      std::vector<std::size_t> order(values.size());
      for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
      do {
        std::string csv = "donor,project,amount\n";
        for (std::size_t k = 0; k < values.size(); ++k) csv += "x" + std::to_string(k) + ",a," + values[k] + "\n";
        for (std::size_t k = 0; k < values.size(); ++k)
          csv += "y" + std::to_string(k) + ",b," + values[order[k]] + "\n";
        Round r = settle("1.01", mechanism, csv);
        ++cases;
        if (r.match("a") != 51 || r.match("b") != 50) {
          if (++wrong == 1) {
            std::ostringstream os;
            os << csv << "-> a " << r.match("a") << ", b " << r.match("b") << " (raw a "
               << r.row("a").raw.str(36, std::ios_base::scientific) << ", raw b "
               << r.row("b").raw.str(36, std::ios_base::scientific) << ")";
            first_wrong = os.str();
          }
        }
      } while (std::next_permutation(order.begin(), order.end()));
    }
    EXPECT_EQ(wrong, 0) << mechanism << ": " << wrong << " of " << cases
                        << " exact ties not given to \"a\"; the first:\n"
                        << first_wrong;
  }
}

TEST(SettleRounding, RowOrderDoesNotMatterOnAnExactTie) {
  // The same six rows in two orders. r(a) = r(b) = (sqrt .1 + sqrt .2 + sqrt .3)^2 - .6
  // exactly, so each gets 50.5 of 101 units and the tie goes to "a" (51),
  // whatever the order of the rows.
  const std::string head = "donor,project,amount\n";
  const std::string b_rows = "y0,b,0.3\ny1,b,0.2\ny2,b,0.1\n";
  Round first = settle("1.01", R"("mechanism": "quadratic")", head + "x0,a,0.1\nx1,a,0.2\nx2,a,0.3\n" + b_rows);
  Round second = settle("1.01", R"("mechanism": "quadratic")", head + "x2,a,0.3\nx1,a,0.2\nx0,a,0.1\n" + b_rows);
  EXPECT_EQ(first.match("a"), 51);
  EXPECT_EQ(first.match("b"), 50);
  EXPECT_EQ(second.match("a"), 51);
  EXPECT_EQ(second.match("b"), 50);
  EXPECT_EQ(first.match("a"), second.match("a"));
}

TEST(SettleRounding, UnitThatNoProjectCanTakeStaysUnspent) {
  // budget 0.10 = 10 units, cap .35 -> cap * budget = 3.5 units, so no match
  // may exceed 3 units. Three equal shares 1/3 (below the cap): 3.333 each ->
  // 3 each, one unit left, but 3 + 1 > 3.5 for every project: it stays unspent.
  Round r = settle("0.10", R"("mechanism": "pro_rata", "cap": "0.35")", "donor,project,amount\nx,a,1\nx,b,1\nx,c,1\n");
  EXPECT_EQ(r.match("a"), 3);
  EXPECT_EQ(r.match("b"), 3);
  EXPECT_EQ(r.match("c"), 3);
  EXPECT_EQ(total(r), 9);

  // cap .25 with three projects: all capped at .25, none below -> 2.5 units
  // each -> 2 each; the 4 units left cannot be placed (2 + 1 > 2.5).
  Round c = settle("0.10", R"("mechanism": "pro_rata", "cap": "0.25")", "donor,project,amount\nx,a,1\nx,b,1\nx,c,1\n");
  EXPECT_EQ(c.match("a"), 2);
  EXPECT_EQ(c.match("b"), 2);
  EXPECT_EQ(c.match("c"), 2);
  EXPECT_EQ(total(c), 6);
}

TEST(SettleRounding, MinorUnitsZeroAndFour) {
  // minor_units 0: budget "10" is 10 units; r = 10 and 20 (30 > 10, oversubscribed)
  // -> 3.333, 6.667 -> 3, 7.
  Round r0 = settle("10", R"("mechanism": "pro_rata")", "donor,project,amount\nx,a,10\nx,z,20\n", 0);
  EXPECT_EQ(r0.match("a"), 3);
  EXPECT_EQ(r0.match("z"), 7);
  // minor_units 4: budget "1.0000" is 10000 units; 3333.33, 6666.67 -> 3333, 6667.
  Round r4 = settle("1.0000", R"("mechanism": "pro_rata")", "donor,project,amount\nx,a,1\nx,z,2\n", 4);
  EXPECT_EQ(r4.match("a"), 3333);
  EXPECT_EQ(r4.match("z"), 6667);
}

// ---------------------------------------------------------------------------
// outputs

TEST(SettleReport, CsvAndSummary) {
  Round r = settle("140.00", R"("mechanism": "quadratic")",
                   "donor,project,amount\nx,A,0.5\nx,A,1.5\nx,A,0.5\nx,A,1.5\ny,A,9\nx,\"B,1\",1\nz,\"B,1\",1\n");
  std::vector<PoolResult> results = {r.out};
  EXPECT_EQ(settlement_csv(r.rules, results, r.in),
            "pool,project,donors,contributed,raw,share,match\n"
            "p,A,2,13,12,0.857142857143,120.00\n"
            "p,\"B,1\",2,2,2,0.142857142857,20.00\n");
  EXPECT_EQ(settlement_summary_json(r.rules, results, r.in),
            "{\n"
            "  \"contributions\": 7,\n"
            "  \"pools\": [\n"
            "    {\n"
            "      \"id\": \"p\",\n"
            "      \"mechanism\": \"quadratic\",\n"
            "      \"budget\": \"140.00\",\n"
            "      \"matched\": \"140.00\",\n"
            "      \"projects\": 2,\n"
            "      \"donors\": 3\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

// ---------------------------------------------------------------------------
// exact decimals

constexpr Wide kE18 = kExactOne;

Wide exact(std::string_view text, bool allow_exponent = true) {
  ExactDecimalResult r = parse_exact_decimal(text, allow_exponent);
  EXPECT_FALSE(r.error.has_value()) << text << ": " << r.error.value_or("");
  return r.scaled;
}
bool refused(std::string_view text, bool allow_exponent = true) {
  return parse_exact_decimal(text, allow_exponent).error.has_value();
}
std::string wide_str(Wide v) {
  if (v == 0) return "0";
  std::string s;
  bool neg = v < 0;
  while (v != 0) {
    int digit = static_cast<int>(v % 10);
    s += static_cast<char>('0' + (neg ? -digit : digit));
    v /= 10;
  }
  if (neg) s += '-';
  return std::string(s.rbegin(), s.rend());
}

TEST(ExactDecimal, Exponents) {
  EXPECT_EQ(wide_str(exact("1.83e-06")), "1830000000000");  // 1.83 * 10^-6 * 10^18
  EXPECT_EQ(wide_str(exact("1E+2")), wide_str(100 * kE18));
  EXPECT_EQ(wide_str(exact("5e0")), wide_str(5 * kE18));
  EXPECT_EQ(wide_str(exact("12.5E-1")), wide_str(kE18 + kE18 / 4));
  EXPECT_EQ(wide_str(exact("1e-18")), "1");
  EXPECT_EQ(wide_str(exact("0.25e2")), wide_str(25 * kE18));
  EXPECT_EQ(wide_str(exact("1e+18")), wide_str(kE18 * kE18));
  EXPECT_EQ(wide_str(exact("0e5")), "0");
  // Without exponents allowed (rules decimals), an exponent is a syntax error.
  EXPECT_TRUE(refused("1e2", false));
  EXPECT_EQ(wide_str(exact("1.25", false)), wide_str(kE18 + kE18 / 4));
}

TEST(ExactDecimal, EighteenFractionDigitsByValue) {
  EXPECT_EQ(wide_str(exact("0.000000000000000001")), "1");  // 18 digits
  EXPECT_TRUE(refused("0.0000000000000000001"));            // 19 digits
  EXPECT_TRUE(refused("1e-19"));
  EXPECT_TRUE(refused("1.5e-18"));  // 0.0000000000000000015
  // Trailing zeros do not count: the limit is on the value.
  EXPECT_EQ(wide_str(exact("1.5000000000000000000")), wide_str(kE18 + kE18 / 2));
  EXPECT_EQ(wide_str(exact("10e-19")), "1");
  EXPECT_EQ(wide_str(exact("1.50e-17")), "15");
  EXPECT_EQ(wide_str(exact("0.123456789012345678")), "123456789012345678");
  EXPECT_TRUE(refused("0.1234567890123456789"));
  EXPECT_EQ(wide_str(exact("000001.000")), wide_str(kE18));
}

TEST(ExactDecimal, Int128Overflow) {
  // int128 max = 170141183460469231731687303715884105727 = 170141183460469231731.687303715884105727 * 10^18
  EXPECT_EQ(wide_str(exact("170141183460469231731.687303715884105727")), "170141183460469231731687303715884105727");
  EXPECT_TRUE(refused("170141183460469231731.687303715884105728"));
  EXPECT_EQ(wide_str(exact("170141183460469231731")), "170141183460469231731000000000000000000");
  EXPECT_TRUE(refused("170141183460469231732"));
  EXPECT_EQ(wide_str(exact("1e20")), "100000000000000000000000000000000000000");
  EXPECT_TRUE(refused("1e21"));
  EXPECT_TRUE(refused("1e999999999999999"));
  EXPECT_TRUE(refused("1e-999999999999999"));
  EXPECT_TRUE(refused("99999999999999999999999999999999999999999"));
}

TEST(ExactDecimal, SignsSpacesAndOtherSyntax) {
  for (const char* text :
       {"-1",  "+1",   " 1",  "1 ",  "1. 5",  "",     "1.",    ".5",    "1e",           "1e+", "1e-", "e5",
        "1,5", "0x10", "inf", "nan", "1e2.5", "1..2", "1.2.3", "1_000", "\xef\xbc\x91", "1E",  "--1", "1e--2"})
    EXPECT_TRUE(refused(text)) << "[" << text << "]";
}

// ---------------------------------------------------------------------------
// format_g12: C's printf("%.12g")

TEST(FormatG12, MatchesPrintfOnDoubles) {
  const std::vector<std::pair<double, const char*>> expected = {
      {0.0, "0"},
      {1.0, "1"},
      {0.1, "0.1"},
      {123456789012.0, "123456789012"},
      {1234567890123.0, "1.23456789012e+12"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {2.0 / 3.0, "0.666666666667"},
      {1e12, "1e+12"},
      {999999999999.0, "999999999999"},
      {999999999999.5, "1e+12"},
      {100000000000.5, "100000000000"},  // a tie: to even
      {100000000001.5, "100000000002"},  // a tie: to even
      {0.5, "0.5"},
      {12.0, "12"},
      {0.857142857142857, "0.857142857143"},
  };
  for (const auto& [value, text] : expected) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.12g", value);
    EXPECT_EQ(std::string(buf), text) << "printf itself, for " << value;
    EXPECT_EQ(format_g12(Quad(value)), text) << value;
  }
  for (double value : {1e100, 1e-300, 5e-324, 123456.78901234567, 0.000123456789012345, 1.0 / 3.0, 7e-5,
                       9.99999999999949e-5, 9.9999999999995e11, 4.9995, 0.049995, 37.0 / 9.0, 3.0e15}) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.12g", value);
    EXPECT_EQ(format_g12(Quad(value)), std::string(buf)) << value;
  }
}

// ---------------------------------------------------------------------------
// rules

std::string rules_error(const std::string& text) {
  std::optional<Error> e = error_of([&] { parse_settlement_rules(text, "rules.json"); });
  if (!e) {
    ADD_FAILURE() << "accepted: " << text;
    return "";
  }
  EXPECT_EQ(e->kind(), ErrorKind::rules) << e->what();
  return e->what();
}

std::string settle_rules(const std::string& settle_fields, const std::string& pool_extra = "",
                         const std::string& top = "") {
  return "{" + top + R"("pools": [{"id": "p", "budget": "100.00")" + pool_extra + R"(, "settle": {)" + settle_fields +
         "}}]}";
}

TEST(SettleRules, DefaultsAndTopLevel) {
  SettlementRules rules = parse_settlement_rules(
      R"({"round": "GG18", "campaign": "c", "currency": "USD", "minor_units": 3, "utc_offset": "+08:00",
          "seed": 7, "max_total_ratio": "2",
          "pools": [{"id": "qf", "sponsor": "s", "budget": "25000.000", "settle": {"mechanism": "quadratic"}},
                    {"id": "pr", "budget": "1", "settle": {"mechanism": "pro_rata", "ratio": "1.5", "cap": "0.2",
                     "min_contribution": "0.001", "aggregate": "mean", "weights": "binary",
                     "subtract_contributions": false, "pairwise_m": "3"}}]})",
      "rules.json");
  EXPECT_EQ(rules.round, "GG18");
  EXPECT_EQ(rules.campaign.minor_units, 3);
  ASSERT_EQ(rules.pools.size(), 2u);
  const SettlementPool& q = rules.pools[0];
  EXPECT_EQ(q.id, "qf");
  EXPECT_EQ(q.budget, 25000000);
  EXPECT_EQ(q.mechanism, Mechanism::quadratic);
  EXPECT_FALSE(q.aggregate_mean);
  EXPECT_FALSE(q.binary_weights);
  EXPECT_EQ(wide_str(q.min_contribution), "0");
  EXPECT_TRUE(q.subtract_contributions);
  EXPECT_EQ(q.pairwise_m, Rat(1, 100));
  EXPECT_EQ(q.ratio.micros, 1'000'000);
  EXPECT_EQ(q.cap, Rat(1));
  const SettlementPool& p = rules.pools[1];
  EXPECT_EQ(p.mechanism, Mechanism::pro_rata);
  EXPECT_TRUE(p.aggregate_mean);
  EXPECT_TRUE(p.binary_weights);
  EXPECT_EQ(wide_str(p.min_contribution), wide_str(kE18 / 1000));
  EXPECT_FALSE(p.subtract_contributions);
  EXPECT_EQ(p.pairwise_m, Rat(3));
  EXPECT_EQ(p.ratio.micros, 1'500'000);
  EXPECT_EQ(p.cap, Rat(1, 5));
}

TEST(SettleRules, MixingMatchAndSettle) {
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "a", "budget": "1", "settle": {"mechanism": "quadratic"}},
                                            {"id": "b", "budget": "1", "match": {"ratio": "1"}}]})"),
                  "rules.json: pools[1]");
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "b", "budget": "1", "match": {"ratio": "1"}},
                                            {"id": "a", "budget": "1", "settle": {"mechanism": "quadratic"}}]})"),
                  "rules.json: pools[0]");
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "a", "budget": "1", "match": {"ratio": "1"},
                                             "settle": {"mechanism": "quadratic"}}]})"),
                  "rules.json: pools[0]");
}

TEST(SettleRules, LiveAndAllocationFieldsNotAllowed) {
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic")", "", R"("reservation_ttl_seconds": 900,)")),
                  "rules.json: reservation_ttl_seconds:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic")", "", R"("reservation_max_seconds": 1800,)")),
                  "rules.json: reservation_max_seconds:");
  for (const char* key : {"priority", "stack", "eligible", "windows", "daily_hours", "releases", "caps"})
    EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic")", std::string(", \"") + key + "\": 0")),
                    std::string("rules.json: pools[0].") + key + ":");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic")", "", R"("rounds": "x",)")),
                  "rules.json: rounds:");
}

TEST(SettleRules, UnknownSettleKeys) {
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "capp": "0.2")")),
                  "rules.json: pools[0].settle.capp:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "ratio": "1", "budget": "1")")),
                  "rules.json: pools[0].settle.budget:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "Cap": "0.2")")),
                  "rules.json: pools[0].settle.Cap:");
}

TEST(SettleRules, CapRange) {
  for (const char* cap : {"0", "0.0", "0.000000", "1.0000001", "1.5", "2", "-0.2", "0.2e0", ".2", "1e-1", ""})
    EXPECT_CONTAINS(rules_error(settle_rules(std::string(R"("mechanism": "quadratic", "cap": ")") + cap + "\"")),
                    "rules.json: pools[0].settle.cap:")
        << cap;
  for (const char* cap : {"1", "1.000", "0.5", "0.000001", "0.123456789"})
    EXPECT_NO_THROW(parse_settlement_rules(
        settle_rules(std::string(R"("mechanism": "quadratic", "cap": ")") + cap + "\""), "rules.json"))
        << cap;
}

TEST(SettleRules, PairwiseM) {
  for (const char* m : {"0", "0.00", "-1", "1e-2", "", "abc"})
    EXPECT_CONTAINS(rules_error(settle_rules(std::string(R"("mechanism": "pairwise", "pairwise_m": ")") + m + "\"")),
                    "rules.json: pools[0].settle.pairwise_m:")
        << m;
  EXPECT_NO_THROW(parse_settlement_rules(settle_rules(R"("mechanism": "pairwise", "pairwise_m": "250.5")"), "r"));
}

TEST(SettleRules, BadMechanismAndEnums) {
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratik")")), "rules.json: pools[0].settle.mechanism:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "Quadratic")")), "rules.json: pools[0].settle.mechanism:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "")")), "rules.json: pools[0].settle.mechanism:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("cap": "0.2")")), "rules.json: pools[0].settle:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "aggregate": "median")")),
                  "rules.json: pools[0].settle.aggregate:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "weights": "all")")),
                  "rules.json: pools[0].settle.weights:");
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "p", "budget": "1"}]})"), "rules.json");
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "p", "budget": "1", "settle": "quadratic"}]})"),
                  "rules.json: pools[0].settle:");
}

TEST(SettleRules, NumbersInsteadOfStrings) {
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "cap": 0.2)")),
                  "rules.json: pools[0].settle.cap:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "cap": 1)")),
                  "rules.json: pools[0].settle.cap:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "pairwise", "pairwise_m": 1)")),
                  "rules.json: pools[0].settle.pairwise_m:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "pro_rata", "ratio": 2)")),
                  "rules.json: pools[0].settle.ratio:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "min_contribution": 0)")),
                  "rules.json: pools[0].settle.min_contribution:");
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "p", "budget": 100, "settle": {"mechanism": "quadratic"}}]})"),
                  "rules.json: pools[0].budget:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "subtract_contributions": "true")")),
                  "rules.json: pools[0].settle.subtract_contributions:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "cap": null)")),
                  "rules.json: pools[0].settle.cap:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": null)")), "rules.json: pools[0].settle.mechanism:");
}

TEST(SettleRules, OtherValues) {
  // min_contribution is an amount: at most minor_units (2) fraction digits.
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "min_contribution": "0.001")")),
                  "rules.json: pools[0].settle.min_contribution:");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "pro_rata", "ratio": "1.1234567")")),
                  "rules.json: pools[0].settle.ratio:");
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "p", "budget": "0", "settle": {"mechanism": "quadratic"}}]})"),
                  "rules.json: pools[0].budget:");
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "p", "budget": "1.001", "settle": {"mechanism": "quadratic"}}]})"),
                  "rules.json: pools[0].budget:");
  EXPECT_CONTAINS(
      rules_error(R"({"pools": [{"id": "p", "budget": "50000000000000000.00", "settle": {"mechanism": "quadratic"}},
                                            {"id": "q", "budget": "50000000000000000.00", "settle": {"mechanism": "quadratic"}}]})"),
      "rules.json: pools:");
  // An empty pools array is invalid rules (the engine's message calls it
  // allocation rules at the top level; only the kind is asserted here).
  EXPECT_CONTAINS(rules_error(R"({"pools": []})"), "rules.json");
  EXPECT_CONTAINS(rules_error(settle_rules(R"("mechanism": "quadratic", "cap": "0.2", "cap": "0.3")")), "rules.json");
  EXPECT_CONTAINS(rules_error(R"({"pools": [{"id": "p", "budget": "1", "settle": {"mechanism": "quadratic"}},
                                            {"id": "p", "budget": "1", "settle": {"mechanism": "quadratic"}}]})"),
                  "rules.json: pools[1].id:");
}

TEST(SettleRules, KindMustFitTheCommand) {
  const std::string allocation = R"({"pools": [{"id": "m", "budget": "100", "match": {"ratio": "1"}}]})";
  std::optional<Error> e = error_of([&] { parse_settlement_rules(allocation, "rules.json"); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind(), ErrorKind::rules);
  EXPECT_CONTAINS(e->what(), "rules.json");

  const std::string settlement = settle_rules(R"("mechanism": "quadratic")");
  std::optional<Error> f = error_of([&] { parse_campaign(settlement, "rules.json"); });
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind(), ErrorKind::rules);
  EXPECT_CONTAINS(f->what(), "rules.json");
}

// ---------------------------------------------------------------------------
// contributions and --map semantics

std::optional<Error> contributions_error(const std::string& csv, const ColumnMap& map = {}) {
  return error_of([&] { read_contributions(csv, "c.csv", map); });
}

TEST(SettleContributions, NoWeightColumnMeansOne) {
  Contributions c = read_contributions(
      "id,time,donor,project,amount,note\n"
      "not an id,not a time,x,A,1.83e-06,n\n"
      "7,,y,A,2,\n",
      "c.csv", {});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(wide_str(c.amount[0]), "1830000000000");
  EXPECT_EQ(wide_str(c.amount[1]), wide_str(2 * kE18));
  for (Wide w : c.weight) EXPECT_EQ(wide_str(w), wide_str(kE18));
  EXPECT_EQ(c.donors.name(c.donor[1]), "y");
  // A column called "coefficient" is not a weight unless mapped.
  Contributions u = read_contributions("donor,project,amount,coefficient\nx,A,1,0\n", "c.csv", {});
  EXPECT_EQ(wide_str(u.weight[0]), wide_str(kE18));
}

TEST(SettleContributions, MappedColumns) {
  ColumnMap map = {{"donor", "voter"}, {"project", "grantAddress"}, {"amount", "amountUSD"}, {"weight", "coefficient"}};
  // The literal donor, project and amount columns are unknown columns once
  // those names are mapped: ignored even when empty, repeated or invalid.
  Contributions c = read_contributions(
      "donor,amount,voter,grantAddress,amountUSD,coefficient,amount,project\n"
      ",-1,alice,0xAB,0.99883616,1,x,\n"
      ",,bob,0xAB,1e-2,0,,\n",
      "c.csv", map);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.donors.name(c.donor[0]), "alice");
  EXPECT_EQ(c.projects.name(c.project[1]), "0xAB");
  EXPECT_EQ(wide_str(c.amount[0]), "998836160000000000");
  EXPECT_EQ(wide_str(c.amount[1]), wide_str(kE18 / 100));
  EXPECT_EQ(wide_str(c.weight[1]), "0");

  // Two fields may trade columns.
  Contributions swapped =
      read_contributions("donor,project,amount\nP1,d1,5\n", "c.csv", {{"donor", "project"}, {"project", "donor"}});
  EXPECT_EQ(swapped.donors.name(swapped.donor[0]), "d1");
  EXPECT_EQ(swapped.projects.name(swapped.project[0]), "P1");
}

TEST(SettleContributions, MappedColumnMissingIsInputError) {
  for (const auto& [name, column] : std::vector<std::pair<std::string, std::string>>{{"donor", "voter"},
                                                                                     {"project", "grant"},
                                                                                     {"amount", "usd"},
                                                                                     {"weight", "coefficient"},
                                                                                     {"id", "tx"},
                                                                                     {"time", "ts"}}) {
    std::optional<Error> e =
        contributions_error("donor,project,amount,weight,id,time\nx,A,1,1,i,t\n", {{name, column}});
    ASSERT_TRUE(e.has_value()) << name;
    EXPECT_EQ(e->kind(), ErrorKind::input);
    EXPECT_CONTAINS(e->what(), "c.csv, line 1");
    EXPECT_CONTAINS(e->what(), column);
  }
  // Unmapped required columns are still required.
  std::optional<Error> e = contributions_error("donor,project\nx,A\n");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind(), ErrorKind::input);
  EXPECT_CONTAINS(e->what(), "amount");
}

TEST(SettleContributions, BadCells) {
  struct Case {
    const char* csv;
    const char* where;
  };
  for (const Case& c : std::vector<Case>{
           {"donor,project,amount,weight\nx,A,1,1\nx,A,1,\n", "c.csv, line 3, column weight"},
           {"donor,project,amount,weight\nx,A,1,1.5\n", "c.csv, line 2, column weight"},
           {"donor,project,amount,weight\nx,A,1,1.0000000000000000001\n", "c.csv, line 2, column weight"},
           {"donor,project,amount,weight\nx,A,1,2e0\n", "c.csv, line 2, column weight"},
           {"donor,project,amount,weight\nx,A,1,-0\n", "c.csv, line 2, column weight"},
           {"donor,project,amount\nx,A,0\n", "c.csv, line 2, column amount"},
           {"donor,project,amount\nx,A,0.000\n", "c.csv, line 2, column amount"},
           {"donor,project,amount\nx,A,0e7\n", "c.csv, line 2, column amount"},
           {"donor,project,amount\nx,A,-1\n", "c.csv, line 2, column amount"},
           {"donor,project,amount\nx,A,\n", "c.csv, line 2, column amount"},
           {"donor,project,amount\nx,A, 1\n", "c.csv, line 2, column amount"},
           {"donor,project,amount\nx,A,1e-19\n", "c.csv, line 2, column amount"},
           {"donor,project,amount\n,A,1\n", "c.csv, line 2, column donor"},
           {"donor,project,amount\nx,,1\n", "c.csv, line 2, column project"},
           {"donor,project,amount\nx,A,1,2\n", "c.csv, line 2"},
       }) {
    std::optional<Error> e = contributions_error(c.csv);
    ASSERT_TRUE(e.has_value()) << c.csv;
    EXPECT_EQ(e->kind(), ErrorKind::input) << c.csv;
    EXPECT_CONTAINS(e->what(), c.where);
  }
  // The mapped column name is the one named in the error.
  std::optional<Error> e = contributions_error("voter,project,amount,coefficient\nx,A,1,\n",
                                               {{"donor", "voter"}, {"weight", "coefficient"}});
  ASSERT_TRUE(e.has_value());
  EXPECT_CONTAINS(e->what(), "c.csv, line 2, column coefficient");
  // Values of weight accepted at the edges: 0, 1, 1.000, 1e0, 100e-2.
  Contributions ok = read_contributions(
      "donor,project,amount,weight\nx,A,1,0\nx,A,1,1\nx,A,1,1.000\nx,A,1,1e0\nx,A,1,100e-2\n", "c.csv", {});
  EXPECT_EQ(wide_str(ok.weight[0]), "0");
  for (std::size_t k = 1; k < ok.size(); ++k) EXPECT_EQ(wide_str(ok.weight[k]), wide_str(kE18));
}

// ---------------------------------------------------------------------------
// Property tests: seeded random rounds against an independent reference.

struct GenRow {
  std::string donor, project, amount_text, weight_text;
  Rat amount, weight;
};

struct GenRound {
  std::vector<GenRow> rows;
  bool has_weight = false;
  std::string mechanism;
  bool mean = false, binary = false, subtract = true;
  std::string min_text = "0", m_text = "0.01", ratio_text = "1", cap_text = "1";
  Rat min = 0, m = Rat(1, 100), ratio = 1, cap = 1;
  int minor_units = 2;
  Minor budget = 0;  // minor units

  std::string budget_text() const {
    std::string digits = std::to_string(budget);
    if (minor_units == 0) return digits;
    while (static_cast<int>(digits.size()) <= minor_units) digits.insert(digits.begin(), '0');
    return digits.substr(0, digits.size() - minor_units) + "." + digits.substr(digits.size() - minor_units);
  }
  std::string rules() const {
    std::string s = R"("mechanism": ")" + mechanism + R"(", "aggregate": ")" + (mean ? "mean" : "sum") +
                    R"(", "weights": ")" + (binary ? "binary" : "multiply") + R"(", "min_contribution": ")" + min_text +
                    R"(", "subtract_contributions": )" + (subtract ? "true" : "false") + R"(, "pairwise_m": ")" +
                    m_text + R"(", "ratio": ")" + ratio_text + R"(", "cap": ")" + cap_text + "\"";
    return one_pool(budget_text(), s, minor_units);
  }
  std::string csv(const std::vector<std::size_t>& order) const {
    std::string out = has_weight ? "weight,amount,project,donor\n" : "donor,project,amount\n";
    for (std::size_t k : order) {
      const GenRow& r = rows[k];
      out += has_weight ? r.weight_text + "," + r.amount_text + "," + r.project + "," + r.donor + "\n"
                        : r.donor + "," + r.project + "," + r.amount_text + "\n";
    }
    return out;
  }
};

std::string pow10_text(int k) { return "1" + std::string(static_cast<std::size_t>(k), '0'); }

// amount = mantissa / 10^scale, written in one of several ways.
std::pair<std::string, Rat> gen_amount(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> kind(0, 9);
  int k = kind(rng);
  if (k <= 1) {  // a few perfect squares and small values, so that ties and exact roots occur
    static const std::vector<std::pair<std::string, Rat>> small = {{"1", Rat(1)},       {"4", Rat(4)}, {"9", Rat(9)},
                                                                   {"0.25", Rat(1, 4)}, {"2", Rat(2)}, {"1e0", Rat(1)}};
    return small[std::uniform_int_distribution<std::size_t>(0, small.size() - 1)(rng)];
  }
  std::int64_t mantissa = std::uniform_int_distribution<std::int64_t>(1, 2'000'000)(rng);
  int scale = std::uniform_int_distribution<int>(0, 6)(rng);
  Rat value(BigInt(mantissa), BigInt(pow10_text(scale)));
  std::string m = std::to_string(mantissa);
  if (k <= 6) {  // plain decimal, sometimes with trailing zeros
    std::string digits = m;
    while (static_cast<int>(digits.size()) <= scale) digits.insert(digits.begin(), '0');
    std::string text =
        scale == 0 ? digits : digits.substr(0, digits.size() - scale) + "." + digits.substr(digits.size() - scale);
    if (k == 6) text += (scale == 0 ? ".00" : "000");
    return {text, value};
  }
  if (k == 7) return {m + "e-" + std::to_string(scale), value};
  if (k == 8) return {m + "E-0" + std::to_string(scale), value};
  // d.ddd e+X form: mantissa = digits, value = 0.digits * 10^(len) / 10^scale
  std::string text = m.substr(0, 1) + (m.size() > 1 ? "." + m.substr(1) : "") + "e" +
                     std::to_string(static_cast<int>(m.size()) - 1 - scale);
  return {text, value};
}

GenRound gen_round(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  GenRound g;
  static const char* kMechanisms[] = {"quadratic", "cluster_profile", "pairwise", "pro_rata"};
  g.mechanism = kMechanisms[pick(0, 3)];
  g.minor_units = std::vector<int>{0, 2, 2, 3}[pick(0, 3)];
  g.mean = pick(0, 2) == 0;
  g.subtract = pick(0, 3) != 0;
  g.has_weight = pick(0, 1) == 0;
  g.binary = g.has_weight && pick(0, 2) == 0;
  switch (pick(0, 5)) {
    case 0:
      g.min_text = "1", g.min = 1;
      break;
    case 1:
      if (g.minor_units >= 2) g.min_text = "0.05", g.min = Rat(1, 20);
      break;
    default:
      break;
  }
  static const std::vector<std::pair<const char*, Rat>> kMs = {
      {"0.01", Rat(1, 100)}, {"1", Rat(1)}, {"0.5", Rat(1, 2)}, {"3", Rat(3)}};
  std::tie(g.m_text, g.m) = kMs[pick(0, 3)];
  static const std::vector<std::pair<const char*, Rat>> kRatios = {
      {"1", Rat(1)}, {"2.5", Rat(5, 2)}, {"0.333333", Rat(333333, 1000000)}, {"1", Rat(1)}};
  std::tie(g.ratio_text, g.ratio) = kRatios[pick(0, 3)];
  static const std::vector<std::pair<const char*, Rat>> kCaps = {
      {"1", Rat(1)},       {"1", Rat(1)},         {"0.5", Rat(1, 2)},       {"0.34", Rat(34, 100)},
      {"0.3", Rat(3, 10)}, {"0.25", Rat(1, 4)},   {"0.2", Rat(1, 5)},       {"0.15", Rat(3, 20)},
      {"0.1", Rat(1, 10)}, {"0.07", Rat(7, 100)}, {"0.333", Rat(333, 1000)}};
  std::tie(g.cap_text, g.cap) = kCaps[pick(0, static_cast<int>(kCaps.size()) - 1)];
  switch (pick(0, 3)) {
    case 0:
      g.budget = pick(1, 40);
      break;
    case 1:
      g.budget = pick(1, 1'000'000);
      break;
    default:
      g.budget = std::uniform_int_distribution<std::int64_t>(1, 1'000'000'000'000LL)(rng);
      break;
  }
  static const std::vector<std::string> kProjects = {"a", "B", "b", "p-1", "p10", "p2", "Z", "zz"};
  const int projects = pick(1, 8), donors = pick(1, 9), rows = pick(1, 30);
  std::vector<std::pair<std::string, Rat>> weights = {{"1", 1},           {"1", 1},
                                                      {"1.0", 1},         {"0", 0},
                                                      {"0.5", Rat(1, 2)}, {"0.25", Rat(1, 4)},
                                                      {"1e0", 1},         {"0.75e0", Rat(3, 4)}};
  for (int k = 0; k < rows; ++k) {
    GenRow r;
    r.donor = "d" + std::to_string(pick(0, donors - 1));
    r.project = kProjects[static_cast<std::size_t>(pick(0, projects - 1))];
    std::tie(r.amount_text, r.amount) = gen_amount(rng);
    if (g.has_weight) {
      std::tie(r.weight_text, r.weight) = weights[static_cast<std::size_t>(pick(0, 7))];
    } else {
      r.weight = 1;
    }
    g.rows.push_back(r);
  }
  return g;
}

struct RefProject {
  std::uint64_t donors = 0;
  Rat contributed = 0;
  Big raw = 0;
  bool positive = false;
  Big units = 0;                     // exact real match in minor units (before rounding)
  std::optional<Rat> exact_units;    // pro_rata: exactly
  std::optional<Minor> fixed_match;  // undersubscribed pro_rata: the match itself
};

struct Reference {
  std::map<std::string, RefProject> projects;  // byte order
  std::uint64_t donors = 0;
  Minor expected_matched = 0;
  bool all_zero = false, undersubscribed = false;
};

Big sqrt_big(const Rat& r) { return boost::multiprecision::sqrt(to_big(r)); }

// Cap iteration of SPEC 7, in any exact-enough number type.
template <class T>
void cap_shares(std::vector<T>& s, const T& cap) {
  for (int guard = 0; guard < 1000; ++guard) {
    T excess = 0;
    for (T& v : s)
      if (v > cap) excess += v - cap, v = cap;
    if (excess == 0) return;
    T below = 0;
    for (const T& v : s)
      if (v < cap) below += v;
    if (below == 0) return;
    for (T& v : s)
      if (v < cap) v *= 1 + excess / below;
  }
}

Reference reference(const GenRound& g) {
  Reference ref;
  // Counted rows -> per (project, donor) lists.
  std::map<std::string, std::map<std::string, std::vector<Rat>>> rows;  // project -> donor -> weighted amounts
  for (const GenRow& r : g.rows) {
    Rat w;
    if (g.binary) {
      if (r.weight != 1) continue;
      w = r.amount;
    } else {
      w = r.amount * r.weight;
    }
    if (w <= 0 || w < g.min) continue;
    rows[r.project][r.donor].push_back(w);
  }
  std::map<std::string, std::map<std::string, Rat>> c;  // project -> donor -> c(i,p)
  std::map<std::string, std::set<std::string>> projects_of;
  for (auto& [p, by_donor] : rows)
    for (auto& [i, list] : by_donor) {
      Rat sum = 0;
      for (const Rat& v : list) sum += v;
      c[p][i] = g.mean ? sum / static_cast<int>(list.size()) : sum;
      projects_of[i].insert(p);
    }
  ref.donors = projects_of.size();
  std::map<std::string, Rat> exact_raw;
  for (auto& [p, by_donor] : c) {
    RefProject& out = ref.projects[p];
    out.donors = by_donor.size();
    for (auto& [i, v] : by_donor) out.contributed += v;
    std::vector<Rat> parts;  // the terms under the square roots
    if (g.mechanism == "quadratic") {
      for (auto& [i, v] : by_donor) parts.push_back(v);
    } else if (g.mechanism == "cluster_profile") {
      std::map<std::set<std::string>, Rat> by_cluster;
      for (auto& [i, v] : by_donor) by_cluster[projects_of[i]] += v;
      for (auto& [cluster, v] : by_cluster) parts.push_back(v);
    }
    if (g.mechanism == "quadratic" || g.mechanism == "cluster_profile") {
      std::vector<Big> roots;
      for (const Rat& v : parts) roots.push_back(sqrt_big(v));
      Big cross = 0;  // 2 sum_{i<j} sqrt(c_i) sqrt(c_j) = (sum sqrt)^2 - sum, exactly 0 for one term
      for (std::size_t a = 0; a < roots.size(); ++a)
        for (std::size_t b = a + 1; b < roots.size(); ++b) cross += 2 * roots[a] * roots[b];
      Big sum = 0;
      for (const Rat& v : parts) sum += to_big(v);
      out.raw = g.subtract ? cross : cross + sum;
      out.positive = g.subtract ? parts.size() >= 2 : true;
    } else if (g.mechanism == "pairwise") {
      const Big m = to_big(g.m);
      for (auto& [i, ci] : by_donor)
        for (auto& [j, cj] : by_donor) {
          if (i == j) continue;
          Big co = 0;
          for (auto& [q, by_q] : c) {
            auto a = by_q.find(i), b = by_q.find(j);
            if (a != by_q.end() && b != by_q.end()) co += sqrt_big(a->second * b->second);
          }
          out.raw += m / (m + co) * sqrt_big(ci * cj);
        }
      out.positive = by_donor.size() >= 2;
    } else {
      exact_raw[p] = g.ratio * out.contributed;
      out.raw = to_big(exact_raw[p]);
      out.positive = true;
    }
  }

  const Rat scale = Rat(BigInt(pow10_text(g.minor_units)));
  const Rat budget_major = Rat(g.budget) / scale;
  const Rat cap_money_units = g.cap * Rat(g.budget);  // cap * budget in minor units
  const Minor cap_units = static_cast<Minor>(
      BigInt(boost::multiprecision::numerator(cap_money_units) / boost::multiprecision::denominator(cap_money_units)));
  std::vector<std::string> names;
  for (auto& [p, r] : ref.projects) names.push_back(p);

  if (g.mechanism == "pro_rata") {
    Rat total = 0;
    for (auto& [p, r] : exact_raw) total += r;
    if (total <= budget_major) {
      ref.undersubscribed = true;
      for (auto& [p, r] : ref.projects) {
        Rat paid = std::min(exact_raw[p], Rat(g.cap * budget_major)) * scale;
        r.exact_units = paid;
        r.units = to_big(paid);
        r.fixed_match = static_cast<Minor>(
            BigInt(boost::multiprecision::numerator(paid) / boost::multiprecision::denominator(paid)));
        ref.expected_matched += *r.fixed_match;
      }
      return ref;
    }
    std::vector<Rat> shares;
    for (const std::string& p : names) shares.push_back(exact_raw[p] / total);
    cap_shares(shares, g.cap);
    for (std::size_t k = 0; k < names.size(); ++k) {
      RefProject& r = ref.projects[names[k]];
      r.exact_units = shares[k] * Rat(g.budget);
      r.units = to_big(*r.exact_units);
    }
  } else {
    Big total = 0;
    bool any = false;
    for (auto& [p, r] : ref.projects) total += r.raw, any = any || r.positive;
    if (!any) {
      ref.all_zero = true;
      return ref;
    }
    std::vector<Big> shares;
    for (const std::string& p : names) shares.push_back(ref.projects[p].raw / total);
    cap_shares(shares, to_big(g.cap));
    for (std::size_t k = 0; k < names.size(); ++k) ref.projects[names[k]].units = shares[k] * Big(g.budget);
  }

  // Largest remainder, exactly as SPEC 7 says: floors, then one unit to each
  // project with a fractional part > 0 whose match + 1 <= floor(cap * budget).
  Minor floors = 0, eligible = 0;
  for (auto& [p, r] : ref.projects) {
    Minor whole;
    bool fractional;
    if (r.exact_units) {
      BigInt f = boost::multiprecision::numerator(*r.exact_units) / boost::multiprecision::denominator(*r.exact_units);
      whole = static_cast<Minor>(f);
      fractional = Rat(f) != *r.exact_units;
    } else {
      Big nearest = boost::multiprecision::round(r.units);
      if (boost::multiprecision::abs(r.units - nearest) < Big("1e-30") * (1 + nearest)) {
        whole = static_cast<Minor>(nearest);  // an integer in the reals, up to 50-digit rounding
        fractional = false;
      } else {
        whole = static_cast<Minor>(boost::multiprecision::floor(r.units));
        fractional = true;
      }
    }
    floors += whole;
    if (fractional && whole + 1 <= cap_units) ++eligible;
  }
  ref.expected_matched = floors + std::min<Minor>(g.budget - floors, eligible);
  return ref;
}

std::vector<std::size_t> iota_order(std::size_t n) {
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = k;
  return order;
}

TEST(SettleProperty, RandomRoundsAgainstReference) {
  int exact_budget_rounds = 0, unspent_rounds = 0, undersubscribed_rounds = 0, zero_rounds = 0;
  std::map<std::string, int> by_mechanism;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    const GenRound g = gen_round(seed);
    // Every row may be dropped (weights, min_contribution): an empty pool is fine.
    Round r = run(g.rules(), g.csv(iota_order(g.rows.size())));
    const Reference ref = reference(g);
    SCOPED_TRACE("seed " + std::to_string(seed) + "\n" + g.rules() + "\n" + g.csv(iota_order(g.rows.size())));
    ++by_mechanism[g.mechanism];

    // Rows, donors and contributed exactly; raw closely.
    std::vector<std::string> ref_names;
    for (auto& [p, x] : ref.projects) ref_names.push_back(p);
    ASSERT_EQ(r.projects(), ref_names);
    EXPECT_EQ(r.out.donors, ref.donors);
    const Rat cap_units_rat = g.cap * Rat(g.budget);
    const Minor cap_units = static_cast<Minor>(
        BigInt(boost::multiprecision::numerator(cap_units_rat) / boost::multiprecision::denominator(cap_units_rat)));
    std::size_t positive = 0;
    for (const ProjectResult& p : r.out.projects) {
      const std::string name(r.in.projects.name(p.project));
      const RefProject& x = ref.projects.at(name);
      positive += x.positive;
      EXPECT_EQ(p.donors, x.donors) << name;
      EXPECT_LE(boost::multiprecision::abs(to_big(p.contributed) - to_big(x.contributed)),
                Big("1e-28") * (1 + to_big(x.contributed)))
          << name;
      const Big raw_tolerance = g.mechanism == "pairwise" ? Big("1e-14") : Big("1e-24");
      EXPECT_LE(boost::multiprecision::abs(to_big(p.raw) - x.raw), raw_tolerance * (1 + to_big(x.contributed)))
          << name << " raw " << p.raw << " reference " << x.raw;
      if (!x.positive) {
        EXPECT_TRUE(p.raw == 0) << name;
      }
      // Every match within one minor unit of the exact result, and never above the cap.
      EXPECT_LT(boost::multiprecision::abs(Big(p.match) - x.units), Big(1) + Big("1e-20"))
          << name << " match " << p.match << " exact " << x.units;
      if (x.fixed_match) {
        EXPECT_EQ(p.match, *x.fixed_match) << name;
      }
      EXPECT_LE(p.match, cap_units) << name;
      EXPECT_GE(p.match, 0);
    }

    // Totals: exactly the units the spec places.
    const Minor matched = total(r);
    EXPECT_EQ(matched, ref.expected_matched);
    EXPECT_LE(matched, g.budget);
    // When some raw score is positive, the pool is not an undersubscribed
    // pro_rata pool, the cap lets the positive projects take everything
    // (cap * positive >= 1) and cap * budget is a whole number of minor
    // units (so a project with a fractional part always has room for one
    // more unit), the pool pays its whole budget exactly. Otherwise units can
    // stay unspent: all raw 0; undersubscribed; excess no share below the cap
    // can take; or leftover units that would lift a project past
    // floor(cap * budget).
    const bool cap_whole = cap_units_rat == Rat(cap_units);
    if (ref.all_zero) {
      ++zero_rounds;
      EXPECT_EQ(matched, 0);
    } else if (ref.undersubscribed) {
      ++undersubscribed_rounds;
    } else if (g.cap * static_cast<int>(positive) >= 1 && cap_whole) {
      ++exact_budget_rounds;
      EXPECT_EQ(matched, g.budget);
    } else {
      if (matched < g.budget) ++unspent_rounds;
      if (g.cap * static_cast<int>(positive) < 1) {  // every positive project sits at the cap
        EXPECT_EQ(matched, cap_units * static_cast<Minor>(positive));
      }
    }

    // The order of the rows does not matter.
    std::vector<std::size_t> order = iota_order(g.rows.size());
    std::mt19937_64 shuffle_rng(seed * 7919);
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::shuffle(order.begin(), order.end(), shuffle_rng);
      Round s = run(g.rules(), g.csv(order));
      ASSERT_EQ(s.projects(), r.projects());
      EXPECT_EQ(s.out.donors, r.out.donors);
      EXPECT_EQ(s.out.matched, r.out.matched);
      for (std::size_t k = 0; k < r.out.projects.size(); ++k) {
        EXPECT_EQ(s.out.projects[k].match, r.out.projects[k].match) << r.projects()[k];
        EXPECT_EQ(s.out.projects[k].donors, r.out.projects[k].donors);
        EXPECT_LE(d(abs(s.out.projects[k].raw - r.out.projects[k].raw)), 1e-12 * (1 + d(r.out.projects[k].raw)));
      }
    }
  }
  // The generator reaches every branch.
  EXPECT_GT(exact_budget_rounds, 40);
  EXPECT_GT(unspent_rounds, 10);
  EXPECT_GT(undersubscribed_rounds, 5);
  EXPECT_GT(zero_rounds, 5);
  for (const char* m : {"quadratic", "cluster_profile", "pairwise", "pro_rata"}) EXPECT_GT(by_mechanism[m], 50) << m;
  std::cout << "[ settle  ] property rounds: " << exact_budget_rounds << " paid the exact budget, " << unspent_rounds
            << " left units unspent by rule, " << undersubscribed_rounds << " undersubscribed, " << zero_rounds
            << " all-zero\n";
}

// ---------------------------------------------------------------------------
// Precision near the int64 limit of minor units.

TEST(SettlePrecision, ProRataNearInt64Budget) {
  // budget 90000000000000000.00 = 9 * 10^18 minor units (int64 max is 9.22 * 10^18).
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"A", "123456789012345678.9"}, {"B", "98765432109876543.21"}, {"C", "314159265358979323.846"}};
  std::string csv = "donor,project,amount\n";
  for (const auto& [p, a] : rows) csv += "x," + p + "," + a + "\n";
  Round r = settle("90000000000000000.00", R"("mechanism": "pro_rata")", csv);
  const Minor budget = 9'000'000'000'000'000'000LL;
  EXPECT_EQ(total(r), budget);

  // Exact: units(p) = budget * c(p) / sum c (sum c = 5.36e17 > 9e16: oversubscribed).
  std::vector<Rat> c;
  Rat sum = 0;
  for (const auto& [p, a] : rows) {
    const std::string digits = a.substr(0, a.find('.')) + a.substr(a.find('.') + 1);
    const int frac = static_cast<int>(a.size() - a.find('.') - 1);
    c.emplace_back(BigInt(digits), BigInt(pow10_text(frac)));
    sum += c.back();
  }
  double worst_double = 0, worst_engine = 0;
  double sum_double = 0;
  for (const auto& [p, a] : rows) sum_double += std::strtod(a.c_str(), nullptr);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Big exact_units = to_big(Rat(budget) * c[k] / sum);
    // Plain double: shares and budget * share in binary64.
    const double share_double = std::strtod(rows[k].second.c_str(), nullptr) / sum_double;
    const double units_double = static_cast<double>(budget) * share_double;
    worst_double =
        std::max(worst_double, static_cast<double>(boost::multiprecision::abs(Big(units_double) - exact_units)));
    worst_engine = std::max(worst_engine,
                            static_cast<double>(boost::multiprecision::abs(Big(r.match(rows[k].first)) - exact_units)));
  }
  std::cout << "[ settle  ] pro_rata at 9e18 units: double off by " << worst_double << " units, engine by "
            << worst_engine << "\n";
  EXPECT_GT(worst_double, 1.0);  // why binary64 is not enough
  EXPECT_LE(worst_engine, 1.0);  // the engine stays within one minor unit
}

TEST(SettlePrecision, QuadraticNearInt64Budget) {
  // Quadratic funding with a 9 * 10^18-unit budget: the reference takes the
  // square roots and shares in 50 decimal digits.
  const std::vector<std::tuple<std::string, std::string, std::string>> rows = {
      {"a", "P", "2"},    {"b", "P", "3"},  {"c", "P", "5.5"}, {"a", "Q", "7"},    {"d", "Q", "11"}, {"e", "Q", "0.13"},
      {"b", "R", "17.3"}, {"f", "R", "19"}, {"g", "S", "23"},  {"h", "S", "29.9"}, {"c", "S", "31"}};
  std::string csv = "donor,project,amount\n";
  for (const auto& [i, p, a] : rows) csv += i + "," + p + "," + a + "\n";
  Round r = settle("90000000000000000.00", R"("mechanism": "quadratic")", csv);
  const Minor budget = 9'000'000'000'000'000'000LL;
  EXPECT_EQ(total(r), budget);

  std::map<std::string, std::vector<std::string>> by_project;
  for (const auto& [i, p, a] : rows) by_project[p].push_back(a);
  std::map<std::string, Big> raw_big;
  std::map<std::string, double> raw_double;
  Big total_big = 0;
  double total_double = 0;
  for (const auto& [p, amounts] : by_project) {
    Big roots = 0, sum = 0;
    double roots_d = 0, sum_d = 0;
    for (const std::string& a : amounts) {
      roots += boost::multiprecision::sqrt(Big(a));
      sum += Big(a);
      roots_d += std::sqrt(std::strtod(a.c_str(), nullptr));
      sum_d += std::strtod(a.c_str(), nullptr);
    }
    raw_big[p] = roots * roots - sum;
    raw_double[p] = roots_d * roots_d - sum_d;
    total_big += raw_big[p];
    total_double += raw_double[p];
  }
  double worst_double = 0, worst_engine = 0;
  for (const auto& [p, raw] : raw_big) {
    const Big exact_units = Big(budget) * raw / total_big;
    const double units_double = static_cast<double>(budget) * (raw_double[p] / total_double);
    worst_double =
        std::max(worst_double, static_cast<double>(boost::multiprecision::abs(Big(units_double) - exact_units)));
    worst_engine =
        std::max(worst_engine, static_cast<double>(boost::multiprecision::abs(Big(r.match(p)) - exact_units)));
  }
  std::cout << "[ settle  ] quadratic at 9e18 units: double off by " << worst_double << " units, engine by "
            << worst_engine << "\n";
  EXPECT_GT(worst_double, 1.0);
  EXPECT_LE(worst_engine, 1.0);
}

TEST(SettlePrecision, PairwiseNearInt64Budget) {
  // The same requirement for pairwise: every match within one minor unit of
  // the exact result, here with a 9 * 10^18-unit budget and 19 rows. The
  // reference evaluates the pairwise formula in 50 decimal digits; an
  // independent 60-digit evaluation (Python's decimal module) gives
  //   a: 6196514858417005873.704299357701759236717...
  //   b: 2803485141582994126.295700642298240763282...
  // so SPEC 7 pays a = ...873 + 1 (larger fraction) = 6196514858417005874,
  // b = 2803485141582994126.
  const char* csv =
      "donor,project,amount\n"
      "d0,a,6186\nd2,a,70511\nd4,a,11722\nd4,b,2311\nd5,b,93435\nd6,a,37779\nd7,a,54729\nd7,b,58049\n"
      "d8,a,21071\nd8,b,60149\nd9,a,69774\nd9,b,42367\nd10,b,37884\nd12,a,63133\nd13,a,54551\nd13,b,85139\n"
      "d14,b,34478\nd15,a,35516\nd17,a,86970\n";
  Round r = settle("90000000000000000.00", R"("mechanism": "pairwise", "pairwise_m": "1")", csv);
  const Minor budget = 9'000'000'000'000'000'000LL;
  EXPECT_EQ(total(r), budget);

  std::map<std::string, std::map<std::string, Big>> c;  // project -> donor -> c
  {
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const auto a = line.find(','), b = line.find(',', a + 1);
      c[line.substr(a + 1, b - a - 1)][line.substr(0, a)] += Big(line.substr(b + 1));
    }
  }
  const Big m = 1;
  std::map<std::string, Big> raw;
  Big sum = 0;
  for (const auto& [p, by_donor] : c) {
    for (const auto& [i, ci] : by_donor)
      for (const auto& [j, cj] : by_donor) {
        if (i == j) continue;
        Big co = 0;
        for (const auto& [q, by_q] : c)
          if (by_q.count(i) && by_q.count(j)) co += boost::multiprecision::sqrt(by_q.at(i) * by_q.at(j));
        raw[p] += m / (m + co) * boost::multiprecision::sqrt(ci * cj);
      }
    sum += raw[p];
  }
  EXPECT_LT(boost::multiprecision::abs(Big(budget) * raw["a"] / sum - Big("6196514858417005873.7042993577017592367")),
            1e-9);
  double worst_engine = 0;
  for (const auto& [p, rp] : raw) {
    const Big exact_units = Big(budget) * rp / sum;
    worst_engine =
        std::max(worst_engine, static_cast<double>(boost::multiprecision::abs(Big(r.match(p)) - exact_units)));
    EXPECT_LE(boost::multiprecision::abs(to_big(r.row(p).raw) - rp) / rp, Big("1e-15")) << p;
  }
  std::cout << "[ settle  ] pairwise at 9e18 units: engine off by " << worst_engine << " units\n";
  EXPECT_LE(worst_engine, 1.0);
  EXPECT_EQ(r.match("a"), 6196514858417005874LL);
  EXPECT_EQ(r.match("b"), 2803485141582994126LL);
}

TEST(SettlePrecision, RandomRoundsNearInt64Budget) {
  // Seeded random rounds of every mechanism with a budget close to the int64
  // limit of minor units (9 * 10^18): every match within one minor unit of
  // the 50-digit reference, and the budget paid exactly (no cap).
  std::map<std::string, double> worst;
  for (std::uint64_t seed = 1; seed <= 120; ++seed) {
    GenRound g = gen_round(seed * 1'000'003);
    std::mt19937_64 rng(seed);
    g.mechanism = std::vector<std::string>{"quadratic", "cluster_profile", "pairwise", "pro_rata"}[seed % 4];
    g.minor_units = 2;
    g.budget = 9'000'000'000'000'000'000LL - static_cast<Minor>(rng() % 1000);
    g.cap_text = "1", g.cap = 1;
    g.min_text = "0", g.min = 0;
    g.binary = false;
    g.subtract = seed % 8 < 4;
    // Up to 25 donors over 4 projects, each giving to most projects.
    g.rows.clear();
    const int donors = 5 + static_cast<int>(rng() % 21);
    for (int i = 0; i < donors; ++i)
      for (const char* p : {"a", "b", "c", "d"}) {
        if (rng() % 4 == 0) continue;
        GenRow row;
        row.donor = "d" + std::to_string(i);
        row.project = p;
        std::tie(row.amount_text, row.amount) = gen_amount(rng);
        row.weight_text = "1", row.weight = 1;
        g.rows.push_back(row);
      }
    if (g.rows.empty()) continue;
    // (pro_rata rounds here are undersubscribed: each match is the floor of
    // its raw score, still within one unit.)
    Round r = run(g.rules(), g.csv(iota_order(g.rows.size())));
    const Reference ref = reference(g);
    SCOPED_TRACE("seed " + std::to_string(seed) + " " + g.mechanism);
    for (const ProjectResult& p : r.out.projects) {
      const RefProject& x = ref.projects.at(std::string(r.in.projects.name(p.project)));
      const double err = static_cast<double>(boost::multiprecision::abs(Big(p.match) - x.units));
      worst[g.mechanism] = std::max(worst[g.mechanism], err);
      EXPECT_LT(err, 1.0) << r.in.projects.name(p.project) << " match " << p.match << " exact "
                          << x.units.str(25, std::ios_base::fixed) << "\n"
                          << g.rules() << "\n"
                          << g.csv(iota_order(g.rows.size()));
    }
    EXPECT_EQ(r.out.matched, ref.expected_matched);
  }
  for (const auto& [m, e] : worst)
    std::cout << "[ settle  ] near-int64 random rounds, " << m << ": worst " << e << " units\n";
}

// ---------------------------------------------------------------------------
// The command line, through the real binary.

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "matchfund-settle-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// Runs `matchfund settle ARGS` and returns the exit status; stderr goes to `err`.
int run_settle(const std::vector<std::string>& args, const std::string& err) {
  std::string cmd = shell_quote(MATCHFUND_BINARY) + " settle";
  for (const std::string& a : args) cmd += " " + shell_quote(a);
  cmd += " >/dev/null 2>" + shell_quote(err);
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class SettleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir.write("rules.json", one_pool("140.00", R"("mechanism": "quadratic")"));
    dir.write("alloc.json", R"({"pools": [{"id": "m", "budget": "100", "match": {"ratio": "1"}}]})");
    dir.write("votes.csv",
              "voter,grant,usd,donor\n"
              "x,A,0.5,\nx,A,1.5,\nx,A,0.5,\nx,A,1.5,\ny,A,9,\nx,B,1,\nz,B,1,\n");
    dir.write("out.csv", "old results\n");  // a pre-existing output must survive a failed run
  }
  std::vector<std::string> base(const std::vector<std::string>& maps, const std::string& rules = "rules.json") const {
    std::vector<std::string> args = {"--rules", dir.file(rules), "--contributions", dir.file("votes.csv")};
    for (const std::string& m : maps) args.insert(args.end(), {"--map", m});
    args.insert(args.end(), {"--out", dir.file("out.csv"), "--summary", dir.file("summary.json")});
    return args;
  }
  void expect_failure(const std::vector<std::string>& args, int status, const std::string& message_part = "") {
    EXPECT_EQ(run_settle(args, dir.file("err.txt")), status) << slurp(dir.file("err.txt"));
    EXPECT_EQ(slurp(dir.file("out.csv")), "old results\n");
    EXPECT_FALSE(fs::exists(dir.path / "summary.json"));
    if (!message_part.empty()) {
      EXPECT_CONTAINS(slurp(dir.file("err.txt")), message_part);
    }
  }
  TempDir dir;
};

TEST_F(SettleCli, MapsColumnsAndWritesResults) {
  // The literal "donor" column is empty on every row: ignored once donor is mapped.
  ASSERT_EQ(run_settle(base({"donor=voter", "project=grant", "amount=usd"}), dir.file("err.txt")), 0)
      << slurp(dir.file("err.txt"));
  EXPECT_EQ(slurp(dir.file("out.csv")),
            "pool,project,donors,contributed,raw,share,match\n"
            "p,A,2,13,12,0.857142857143,120.00\n"
            "p,B,2,2,2,0.142857142857,20.00\n");
  EXPECT_CONTAINS(slurp(dir.file("summary.json")), "\"matched\": \"140.00\"");
  // --map=NAME=COLUMN is the same option written with '='.
  fs::remove(dir.path / "summary.json");
  ASSERT_EQ(run_settle(base({}), dir.file("err.txt")), 3);  // no "project" and "amount" columns unmapped
  std::vector<std::string> eq = {"--rules=" + dir.file("rules.json"),
                                 "--contributions=" + dir.file("votes.csv"),
                                 "--map=donor=voter",
                                 "--map=project=grant",
                                 "--map=amount=usd",
                                 "--out=" + dir.file("out2.csv")};
  ASSERT_EQ(run_settle(eq, dir.file("err.txt")), 0) << slurp(dir.file("err.txt"));
  EXPECT_EQ(slurp(dir.file("out2.csv")), slurp(dir.file("out.csv")));
}

TEST_F(SettleCli, MapUsageErrors) {
  expect_failure(base({"donor=voter", "project=grant", "amountusd"}), 1, "amountusd");                 // no '='
  expect_failure(base({"donor=voter", "project=grant", "amount=usd", "donour=voter2"}), 1, "donour");  // unknown NAME
  expect_failure(base({"donor=voter", "project=grant", "amount=usd", "Weight=w"}), 1);  // names are case-sensitive
  expect_failure(base({"donor=voter", "project=grant", "amount="}), 1);                 // empty COLUMN
  expect_failure(base({"donor=voter", "project=grant", "amount=usd", "donor=x"}), 1);   // NAME twice
  expect_failure(base({"donor=voter", "project=grant", "amount=usd", "id=voter"}), 1);  // two NAMEs on one column
  expect_failure(base({"donor=voter", "project=grant", "amount=usd", "=voter"}), 1);    // empty NAME
  // Usage is checked before the rules: bad --map with allocation rules is still 1.
  expect_failure(base({"donor"}, "alloc.json"), 1);
  // A repeated ordinary option is a usage error; --map may repeat.
  std::vector<std::string> twice = base({"donor=voter", "project=grant", "amount=usd"});
  twice.insert(twice.end(), {"--rules", dir.file("rules.json")});
  expect_failure(twice, 1);
}

TEST_F(SettleCli, AllocationRulesAreInvalidRules) {
  expect_failure(base({"donor=voter", "project=grant", "amount=usd"}, "alloc.json"), 2, "alloc.json");
  // Rules are checked before contributions: a missing contributions file does not hide it.
  std::vector<std::string> args = {"--rules", dir.file("alloc.json"), "--contributions", dir.file("missing.csv"),
                                   "--out",   dir.file("out.csv"),    "--summary",       dir.file("summary.json")};
  expect_failure(args, 2);
}

TEST_F(SettleCli, MappedColumnMissingIsInputError) {
  expect_failure(base({"donor=voter", "project=grant", "amount=usd", "weight=coefficient"}), 3, "coefficient");
  expect_failure(base({"donor=voter", "project=grantAddress", "amount=usd"}), 3, "grantAddress");
  // Unmapped: the file has no "project" column.
  expect_failure(base({"donor=voter", "amount=usd"}), 3, "project");
  // A missing contributions file is an I/O failure.
  std::vector<std::string> args = {"--rules", dir.file("rules.json"), "--contributions", dir.file("missing.csv"),
                                   "--out",   dir.file("out.csv"),    "--summary",       dir.file("summary.json")};
  expect_failure(args, 4);
}

}  // namespace
}  // namespace matchfund
