// Axis arithmetic for the report's SVG charts: linear scales, "nice" tick
// positions (1, 2 or 5 times a power of ten) and compact tick labels.
#pragma once

#include <string>
#include <vector>

namespace matchfund::report {

// Maps the domain [d0, d1] linearly onto the range [r0, r1] (pixels); r1 < r0
// for a y axis that grows upwards. A zero-width domain maps to r0.
struct LinearScale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const;
};

struct Ticks {
  std::vector<double> values;  // ascending, inside [lo, hi]
  double step = 1;
};

// Ticks at multiples of the smallest step among 1, 2, 5 (times a power of ten)
// that is at least (hi - lo) / target; lo < hi, target >= 1.
Ticks nice_ticks(double lo, double hi, int target);

// The smallest multiple of nice_ticks' step that is >= hi: the top of an axis
// starting at 0 that should end on a tick.
double nice_ceiling(double hi, int target);

// Ticks for an axis in hours: the smallest step among 1, 2, 3, 6, 12, 24, 48
// hours (then multiples of 24) that is at least (hi - lo) / target.
Ticks hour_ticks(double lo, double hi, int target);

// Labels for ticks: thousands as k, millions as M, billions as G (chosen by the
// largest tick), with as many decimals as the step needs and none trailing.
std::vector<std::string> tick_labels(const Ticks& ticks);

}  // namespace matchfund::report
