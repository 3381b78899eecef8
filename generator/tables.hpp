// Fixed-size sampling tables: Walker/Vose alias tables for discrete choices
// (categories, projects within a category) and quantile tables for amounts
// (lucky-number spikes plus continuous heavy-tailed ranges). Their sizes depend
// on the profile, never on --scale.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/money.hpp"
#include "generator/rng.hpp"

namespace matchfund::gen {

// O(1) draws from a discrete distribution over [0, n).
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights);
  std::uint32_t sample(std::uint64_t r) const {
    // High bits pick the column, low 32 bits toss the coin.
    const auto column = static_cast<std::uint32_t>((static_cast<unsigned __int128>(r) * threshold_.size()) >> 64);
    return static_cast<std::uint32_t>(r) < threshold_[column] ? column : alias_[column];
  }
  std::size_t size() const { return threshold_.size(); }
  std::size_t bytes() const { return threshold_.size() * 8; }

 private:
  std::vector<std::uint32_t> threshold_;  // keep the column when the coin is below
  std::vector<std::uint32_t> alias_;
};

// An amount distribution in minor units: point masses ("lucky" amounts) and
// ranges, each with a weight (the weights need not sum to 1).
struct AmountAtom {
  Minor amount;
  double weight;
};
struct AmountRange {
  Minor lo, hi;   // inclusive bounds, minor units
  double weight;
  double alpha;   // 0: log-uniform on [lo, hi]; > 0: Pareto(alpha) truncated to [lo, hi]
  Minor step;     // values are rounded down to a multiple of step (at least lo)
};
struct AmountModel {
  std::vector<AmountAtom> atoms;
  std::vector<AmountRange> ranges;
};

// 2^16 quantiles of an AmountModel, read through a Weyl sequence: the sum of
// n draws is n * mean() to within about one table entry.
class QuantileTable {
 public:
  static constexpr int kBits = 16;
  QuantileTable() = default;
  explicit QuantileTable(const AmountModel& model);
  // Builds the table with the weight of model.ranges[tail] chosen so that the
  // table's mean is `target_mean` (minor units), to within 0.001%, or as close
  // as the model gets when the target is out of its reach.
  static QuantileTable with_mean(AmountModel model, std::size_t tail, double target_mean);

  Minor at(std::uint64_t u64) const { return values_[u64 >> (64 - kBits)]; }
  double mean() const { return mean_; }
  Minor max() const { return values_.back(); }
  std::size_t bytes() const { return values_.size() * sizeof(Minor); }

 private:
  std::vector<Minor> values_;
  double mean_ = 0;
};

}  // namespace matchfund::gen
