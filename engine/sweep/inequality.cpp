#include "engine/sweep/inequality.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace matchfund::sweep {

namespace {

Eigen::ArrayXd sorted(const Eigen::ArrayXd& values) {
  Eigen::ArrayXd s = values;
  std::sort(s.data(), s.data() + s.size());
  return s;
}

}  // namespace

double gini(const Eigen::ArrayXd& values) {
  const Eigen::Index n = values.size();
  const double total = values.sum();
  if (n == 0 || total <= 0) return 0;
  const Eigen::ArrayXd x = sorted(values);
  const Eigen::ArrayXd rank = Eigen::ArrayXd::LinSpaced(n, 1, static_cast<double>(n));
  return 2 * (rank * x).sum() / (static_cast<double>(n) * total) - (static_cast<double>(n) + 1) / static_cast<double>(n);
}

std::vector<double> lorenz_curve(const Eigen::ArrayXd& values, int points) {
  std::vector<double> curve(static_cast<std::size_t>(points) + 1, 0.0);
  const Eigen::Index n = values.size();
  const double total = values.sum();
  if (n == 0 || total <= 0) {
    for (int k = 0; k <= points; ++k) curve[static_cast<std::size_t>(k)] = static_cast<double>(k) / points;
    return curve;
  }
  const Eigen::ArrayXd x = sorted(values);
  std::vector<double> cumulative(static_cast<std::size_t>(n) + 1, 0.0);  // share held by the lowest i
  for (Eigen::Index i = 0; i < n; ++i) cumulative[static_cast<std::size_t>(i) + 1] = cumulative[static_cast<std::size_t>(i)] + x[i] / total;
  for (int k = 0; k <= points; ++k) {
    const double at = static_cast<double>(k) / points * static_cast<double>(n);
    const auto below = static_cast<std::size_t>(std::floor(at));
    const double frac = at - static_cast<double>(below);
    curve[static_cast<std::size_t>(k)] =
        below >= static_cast<std::size_t>(n) ? 1.0 : cumulative[below] + frac * (cumulative[below + 1] - cumulative[below]);
  }
  return curve;
}

double top_share(const Eigen::ArrayXd& values, double fraction) {
  const Eigen::Index n = values.size();
  const double total = values.sum();
  if (n == 0 || total <= 0) return 0;
  const Eigen::ArrayXd x = sorted(values);
  const auto top = std::min<Eigen::Index>(n, static_cast<Eigen::Index>(std::ceil(fraction * static_cast<double>(n))));
  return x.tail(top).sum() / total;
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double h = static_cast<double>(values.size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

}  // namespace matchfund::sweep
