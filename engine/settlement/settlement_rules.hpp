// Settlement rules (SPEC 7): pools divided when the round closes.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rules.hpp"

namespace matchfund {

using Rational = boost::multiprecision::cpp_rational;

enum class Mechanism { quadratic, cluster_profile, pairwise, pro_rata };
std::string_view mechanism_name(Mechanism m);

struct SettlementPool {
  std::string id;
  std::string sponsor;
  Minor budget = 0;
  Mechanism mechanism = Mechanism::quadratic;
  bool aggregate_mean = false;   // "mean" instead of "sum"
  bool binary_weights = false;   // "binary" instead of "multiply"
  Wide min_contribution = 0;     // in 10^-18 units of the major unit
  bool subtract_contributions = true;
  Rational pairwise_m{1, 100};
  Ratio ratio{kRatioScale};
  Rational cap{1};
};

struct SettlementRules {
  Campaign campaign;  // top-level fields; campaign.pools stays empty
  std::string round;
  std::vector<SettlementPool> pools;
};

// Parses and validates settlement rules; errors name the JSON path (exit 2).
SettlementRules parse_settlement_rules(std::string_view text, const std::string& file);

}  // namespace matchfund
