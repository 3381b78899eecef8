// {"ratio": R}: base = floor(amount * R).
#include "policies/policy.hpp"

namespace matchfund {
namespace {

class RatioRate final : public BatchedRate<RatioRate> {
 public:
  explicit RatioRate(Ratio r) : ratio_(r) {}
  Minor base(Minor amount, std::uint64_t) const override { return ratio_base(amount, ratio_); }
  std::optional<Ratio> most_ratio() const override { return ratio_; }

 private:
  Ratio ratio_;
};

}  // namespace

std::unique_ptr<Rate> parse_ratio_rate(const RuleNode& node, const PoolContext&) {
  return std::make_unique<RatioRate>(node.ratio());
}

}  // namespace matchfund
