#include "engine/settlement/settlement_rules.hpp"

#include <set>

#include "engine/settlement/exact_decimal.hpp"

namespace matchfund {
namespace {

// A plain decimal string `^[0-9]+(\.[0-9]+)?$` as an exact rational.
Rational plain_decimal(const RuleNode& node) {
  if (!node.json().is_string()) node.fail("expected a decimal number as a JSON string such as \"0.2\"");
  ExactDecimalResult r = parse_exact_decimal(node.string(), /*allow_exponent=*/false);
  if (r.error) node.fail(*r.error);
  boost::multiprecision::cpp_int scaled = 0;
  // Build the cpp_int from the 128-bit value in two halves.
  Wide v = r.scaled;
  scaled = static_cast<std::uint64_t>(v >> 64);
  scaled <<= 64;
  scaled += static_cast<std::uint64_t>(v);
  return Rational(scaled, boost::multiprecision::pow(boost::multiprecision::cpp_int(10), kExactScaleDigits));
}

SettlementPool parse_pool(const RuleNode& node, int minor_units, std::set<std::string>& ids) {
  node.expect_object();
  if (node.has("match")) node.fail("the pools mix \"match\" and \"settle\"; a rules file is one kind or the other");
  node.expect_object({"id", "sponsor", "budget", "settle"});
  SettlementPool pool;
  pool.id = read_pool_id(node, ids);
  if (node.has("sponsor")) pool.sponsor = std::string(node.child("sponsor").string());
  pool.budget = read_pool_budget(node, minor_units);
  if (!node.has("settle")) node.fail("a settlement pool needs \"settle\"");

  RuleNode s = node.child("settle");
  s.expect_object({"mechanism", "aggregate", "weights", "min_contribution", "subtract_contributions", "pairwise_m",
                   "ratio", "cap"});
  if (!s.has("mechanism")) s.fail("settle needs \"mechanism\"");
  RuleNode m = s.child("mechanism");
  std::string_view mech = m.string();
  if (mech == "quadratic") {
    pool.mechanism = Mechanism::quadratic;
  } else if (mech == "cluster_profile") {
    pool.mechanism = Mechanism::cluster_profile;
  } else if (mech == "pairwise") {
    pool.mechanism = Mechanism::pairwise;
  } else if (mech == "pro_rata") {
    pool.mechanism = Mechanism::pro_rata;
  } else {
    m.fail("expected \"quadratic\", \"cluster_profile\", \"pairwise\" or \"pro_rata\"");
  }
  if (s.has("aggregate")) {
    RuleNode a = s.child("aggregate");
    if (a.string() != "sum" && a.string() != "mean") a.fail("expected \"sum\" or \"mean\"");
    pool.aggregate_mean = a.string() == "mean";
  }
  if (s.has("weights")) {
    RuleNode w = s.child("weights");
    if (w.string() != "multiply" && w.string() != "binary") w.fail("expected \"multiply\" or \"binary\"");
    pool.binary_weights = w.string() == "binary";
  }
  if (s.has("min_contribution")) {
    // An amount (at most minor_units fraction digits) in major units, kept at 10^-18.
    Minor minor = s.child("min_contribution").amount(minor_units);
    Wide scale = 1;
    for (int k = 0; k < kExactScaleDigits - minor_units; ++k) scale *= 10;
    pool.min_contribution = static_cast<Wide>(minor) * scale;
  }
  if (s.has("subtract_contributions")) pool.subtract_contributions = s.child("subtract_contributions").boolean();
  if (s.has("pairwise_m")) {
    pool.pairwise_m = plain_decimal(s.child("pairwise_m"));
    if (pool.pairwise_m <= 0) s.child("pairwise_m").fail("pairwise_m must be greater than 0");
  }
  if (s.has("ratio")) pool.ratio = s.child("ratio").ratio();
  if (s.has("cap")) {
    pool.cap = plain_decimal(s.child("cap"));
    if (pool.cap <= 0 || pool.cap > 1) s.child("cap").fail("cap must be greater than 0 and at most 1");
  }
  return pool;
}

}  // namespace

std::string_view mechanism_name(Mechanism m) {
  switch (m) {
    case Mechanism::quadratic:
      return "quadratic";
    case Mechanism::cluster_profile:
      return "cluster_profile";
    case Mechanism::pairwise:
      return "pairwise";
    case Mechanism::pro_rata:
      return "pro_rata";
  }
  return "";
}

SettlementRules parse_settlement_rules(std::string_view text, const std::string& file) {
  Json json = parse_rules_json(text, file);
  RuleNode root(json, "", file);
  root.expect_object();
  if (root.has("pools") && root.json()["pools"].is_array() && !has_settlement_pool(root))
    root.fail("these are allocation rules (pools with \"match\"); `matchfund settle` needs pools with \"settle\"");
  root.expect_object({"round", "campaign", "currency", "minor_units", "utc_offset", "seed", "max_total_ratio", "pools"});
  SettlementRules rules;
  parse_campaign_fields(root, rules.campaign);
  if (root.has("round")) rules.round = std::string(root.child("round").string());
  const int minor_units = rules.campaign.minor_units;
  rules.pools = read_pools<SettlementPool>(root, [minor_units](const RuleNode& node, std::set<std::string>& ids) {
    return parse_pool(node, minor_units, ids);
  });
  return rules;
}

}  // namespace matchfund
