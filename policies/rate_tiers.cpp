// {"tiers": [{"up_to": A1, "ratio": R1}, ..., {"ratio": Rn}]}: marginal bands on
// the amount; base = floor(sum of the exact band products), one floor at the end.
#include <algorithm>
#include <vector>

#include "policies/policy.hpp"

namespace matchfund {
namespace {

struct Band {
  Minor up_to;  // kMinorMax for an open-ended last band
  Ratio ratio;
};

class TiersRate final : public BatchedRate<TiersRate> {
 public:
  explicit TiersRate(std::vector<Band> bands) : bands_(std::move(bands)) {}
  Minor base(Minor amount, std::uint64_t) const override {
    Wide scaled = 0;  // sum of part * ratio in millionths of a minor unit; < 2^127
    Minor lower = 0;
    for (const Band& band : bands_) {
      if (amount <= lower) break;
      Minor part = (amount < band.up_to ? amount : band.up_to) - lower;
      scaled += static_cast<Wide>(part) * band.ratio.micros;
      lower = band.up_to;
    }
    const Wide v = scaled / kRatioScale;
    return v > kMinorMax ? kBaseOverflow : static_cast<Minor>(v);
  }
  // The bands' parts sum to at most the amount, each at most the largest ratio.
  std::optional<Ratio> most_ratio() const override {
    Ratio most{0};
    for (const Band& band : bands_) most.micros = std::max(most.micros, band.ratio.micros);
    return most;
  }

 private:
  std::vector<Band> bands_;
};

}  // namespace

std::unique_ptr<Rate> parse_tiers_rate(const RuleNode& node, const PoolContext& pool) {
  std::size_t n = node.expect_array();
  if (n == 0) node.fail("tiers needs at least one band");
  std::vector<Band> bands;
  Minor previous = 0;
  for (std::size_t i = 0; i < n; ++i) {
    RuleNode band = node.at(i);
    band.expect_object({"up_to", "ratio"});
    if (!band.has("ratio")) band.fail("a band needs \"ratio\"");
    Ratio ratio = band.child("ratio").ratio();
    Minor up_to = kMinorMax;
    if (band.has("up_to")) {
      RuleNode u = band.child("up_to");
      up_to = u.amount(pool.minor_units);
      if (up_to <= previous)
        u.fail(i == 0 ? "the first up_to must be greater than 0" : "up_to must be greater than the band before");
      previous = up_to;
    } else if (i + 1 != n) {
      band.fail("every band but the last needs \"up_to\"");
    }
    bands.push_back({up_to, ratio});
  }
  return std::make_unique<TiersRate>(std::move(bands));
}

}  // namespace matchfund
