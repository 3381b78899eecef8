// {"fixed": A}: base = A for every eligible donation.
#include "policies/policy.hpp"

namespace matchfund {
namespace {

class FixedRate final : public BatchedRate<FixedRate> {
 public:
  explicit FixedRate(Minor amount) : amount_(amount) {}
  Minor base(Minor, std::uint64_t) const override { return amount_; }

 private:
  Minor amount_;
};

}  // namespace

std::unique_ptr<Rate> parse_fixed_rate(const RuleNode& node, const PoolContext& pool) {
  return std::make_unique<FixedRate>(node.amount(pool.minor_units));
}

}  // namespace matchfund
