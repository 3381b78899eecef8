// {"random": {"min": R, "max": R, "step": R}}: a ratio from the grid
// min, min+step, ..., max picked by a hash of the seed, pool id and donation id.
#include "engine/fast_mod.hpp"
#include "engine/hash.hpp"
#include "policies/policy.hpp"

namespace matchfund {
namespace {

class RandomRate final : public BatchedRate<RandomRate> {
 public:
  RandomRate(Ratio min, Ratio step, std::uint64_t points, std::uint64_t key)
      : min_(min), step_(step), points_(points), key_(key) {}
  Minor base(Minor amount, std::uint64_t id_hash) const override {
    const std::uint64_t index = points_(splitmix64(key_ ^ id_hash));
    return ratio_base(amount, Ratio{min_.micros + static_cast<std::int64_t>(index) * step_.micros});
  }
  std::optional<Ratio> most_ratio() const override {
    return Ratio{min_.micros + static_cast<std::int64_t>(points_.divisor() - 1) * step_.micros};
  }

 private:
  Ratio min_, step_;
  FastMod points_;  // index = hash % points
  std::uint64_t key_;  // seed XOR fnv1a64(pool id), fixed per pool
};

}  // namespace

std::unique_ptr<Rate> parse_random_rate(const RuleNode& node, const PoolContext& pool) {
  node.expect_object({"min", "max", "step"});
  for (auto key : {"min", "max", "step"})
    if (!node.has(key)) node.fail(std::string("random needs \"") + key + "\"");
  Ratio min = node.child("min").ratio(), max = node.child("max").ratio(), step = node.child("step").ratio();
  if (min.micros > max.micros) node.child("max").fail("max must not be below min");
  std::uint64_t points = 1;
  if (min.micros != max.micros) {
    if (step.micros == 0) node.child("step").fail("step must be greater than 0 when min and max differ");
    std::int64_t span = max.micros - min.micros;
    if (span % step.micros != 0) node.child("step").fail("(max - min) / step must be a whole number");
    points = static_cast<std::uint64_t>(span / step.micros) + 1;
  }
  return std::make_unique<RandomRate>(min, step, points, pool.seed ^ fnv1a64(pool.pool_id));
}

}  // namespace matchfund
