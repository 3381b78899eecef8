// {"ratio": R}: base = floor(amount * R).
#include "policies/policy.hpp"

namespace matchfund {
namespace {

class RatioRate final : public Rate {
 public:
  explicit RatioRate(Ratio r) : ratio_(r) {}
  void compute(const DonationBatch& b, Minor* base) const override {
    for (std::size_t i = 0; i < b.size; ++i) {
      Wide v = multiply_floor(b.amount[i], ratio_);
      base[i] = v > kMinorMax ? kBaseOverflow : static_cast<Minor>(v);
    }
  }

 private:
  Ratio ratio_;
};

}  // namespace

std::unique_ptr<Rate> parse_ratio_rate(const RuleNode& node, const PoolContext&) {
  return std::make_unique<RatioRate>(node.ratio());
}

}  // namespace matchfund
