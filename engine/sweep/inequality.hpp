// How matching is spread: Gini coefficient, Lorenz curve, the share of the top
// fraction, and quantiles (docs/simulation.md gives the formulas). Values are
// amounts >= 0 (Eigen arrays, in any order).
#pragma once

#include <Eigen/Core>
#include <vector>

namespace matchfund::sweep {

// G = 2 * sum(i * x_(i)) / (n * sum(x)) - (n + 1) / n over x ascending, i = 1..n;
// 0 when there are no values or they sum to 0.
double gini(const Eigen::ArrayXd& values);

// L(k / points) for k = 0..points: the share of the total held by the lowest
// k / points of the population, linear between the population's steps.
std::vector<double> lorenz_curve(const Eigen::ArrayXd& values, int points = 100);

// The share of the total held by the largest ceil(fraction * n) values.
double top_share(const Eigen::ArrayXd& values, double fraction);

// The q-quantile (0 <= q <= 1) with linear interpolation between the closest
// ranks: x_(floor(h)) + (h - floor(h)) * (x_(floor(h)+1) - x_(floor(h))), h = (n - 1) q
// over x ascending (numpy's default). NaN when there are no values.
double quantile(std::vector<double> values, double q);

}  // namespace matchfund::sweep
