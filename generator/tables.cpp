#include "generator/tables.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace matchfund::gen {

AliasTable::AliasTable(const std::vector<double>& weights) {
  const std::size_t n = weights.size();
  if (n == 0) throw std::logic_error("alias table needs at least one weight");
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = weights[i] * static_cast<double>(n) / total;
  threshold_.assign(n, 0xFFFFFFFFu);
  alias_.resize(n);
  std::iota(alias_.begin(), alias_.end(), 0u);
  std::vector<std::uint32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) (p[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    threshold_[s] = static_cast<std::uint32_t>(std::min(4294967295.0, p[s] * 4294967296.0));
    alias_[s] = l;
    p[l] = (p[l] + p[s]) - 1.0;
    if (p[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Whatever is left is 1 up to rounding: always keep the column.
}

namespace {

// The inverse CDF of the model at u in [0, 1).
Minor quantile(const AmountModel& m, double total, double u) {
  double x = u * total;
  for (const AmountAtom& a : m.atoms) {
    if (x < a.weight) return a.amount;
    x -= a.weight;
  }
  for (const AmountRange& r : m.ranges) {
    if (x < r.weight || &r == &m.ranges.back()) {
      const double v = r.weight > 0 ? std::clamp(x / r.weight, 0.0, 1.0 - 1e-12) : 0.0;
      const double lo = static_cast<double>(r.lo), hi = static_cast<double>(r.hi);
      double value;
      if (r.alpha <= 0) {
        value = lo * std::pow(hi / lo, v);
      } else {
        const double tail = std::pow(lo / hi, r.alpha);
        value = lo / std::pow(1.0 - v * (1.0 - tail), 1.0 / r.alpha);
      }
      auto amount = static_cast<Minor>(value);
      amount -= amount % r.step;
      return std::clamp(amount, r.lo, r.hi);
    }
    x -= r.weight;
  }
  return m.atoms.empty() ? 1 : m.atoms.back().amount;  // only when there are no ranges
}

}  // namespace

QuantileTable::QuantileTable(const AmountModel& model) {
  double total = 0;
  for (const auto& a : model.atoms) total += a.weight;
  for (const auto& r : model.ranges) total += r.weight;
  const std::size_t n = std::size_t{1} << kBits;
  values_.resize(n);
  long double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    values_[i] = quantile(model, total, (static_cast<double>(i) + 0.5) / static_cast<double>(n));
    sum += values_[i];
  }
  mean_ = static_cast<double>(sum / n);
}

QuantileTable QuantileTable::with_mean(AmountModel model, std::size_t tail, double target_mean) {
  // The table's mean moves monotonically from the model without the range
  // towards the range's own mean as the range's weight grows: bisect on it.
  auto mean_at = [&](double w) {
    model.ranges.at(tail).weight = w;
    return QuantileTable(model).mean();
  };
  const bool below = mean_at(0) < target_mean;
  double lo = 0, hi = std::max(1e-3, model.ranges.at(tail).weight);
  while ((mean_at(hi) < target_mean) == below) {
    lo = hi;
    hi *= 2;
    if (hi > 1e4) {  // out of reach (only at absurdly small scales): the closest the model gets
      const double far = mean_at(hi);
      model.ranges[tail].weight = std::abs(far - target_mean) < std::abs(mean_at(0) - target_mean) ? hi : 0;
      return QuantileTable(model);
    }
  }
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    const double m = mean_at(mid);
    if (std::abs(m - target_mean) <= 1e-5 * target_mean) {
      lo = hi = mid;
      break;
    }
    ((m < target_mean) == below ? lo : hi) = mid;
  }
  model.ranges[tail].weight = 0.5 * (lo + hi);
  return QuantileTable(model);
}

}  // namespace matchfund::gen
