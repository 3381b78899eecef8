// {"random": {"min": R, "max": R, "step": R}}: a ratio from the grid
// min, min+step, ..., max picked by a hash of the seed, pool id and donation id.
#include "policies/random_grid.hpp"

namespace matchfund {
namespace {

class RandomRate final : public Rate {
 public:
  explicit RandomRate(const RandomGrid& grid)
      : grid_(grid), vector_(cpu_has_avx512_ifma() && grid.points.divisor() <= kMaxVectorPoints) {}
  Minor base(Minor amount, std::uint64_t id_hash) const override { return grid_.base(amount, id_hash); }
  bool bases(const Minor* amount, const std::uint64_t* id_hash, const std::uint16_t* index, std::size_t n,
             Minor* __restrict out) const override {
    return vector_ ? random_bases_avx512(grid_, amount, id_hash, index, n, out)
                   : random_bases_one_by_one(grid_, amount, id_hash, index, n, out);
  }
  std::optional<Ratio> most_ratio() const override {
    return Ratio{grid_.min.micros + static_cast<std::int64_t>(grid_.points.divisor() - 1) * grid_.step.micros};
  }

 private:
  RandomGrid grid_;
  bool vector_;  // bases runs the AVX-512 loop
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
  return std::make_unique<RandomRate>(RandomGrid{min, step, FastMod(points), pool.seed ^ fnv1a64(pool.pool_id)});
}

}  // namespace matchfund
