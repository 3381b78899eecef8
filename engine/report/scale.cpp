#include "engine/report/scale.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace matchfund::report {

double LinearScale::operator()(double v) const {
  if (d1 == d0) return r0;
  return r0 + (v - d0) * (r1 - r0) / (d1 - d0);
}

namespace {

double nice_step(double lo, double hi, int target) {
  const double raw = (hi - lo) / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
  return 10 * magnitude;
}

Ticks ticks_every(double lo, double hi, double step) {
  Ticks t;
  t.step = step;
  const double slack = step * 1e-9;
  for (double k = std::ceil((lo - slack) / step);; ++k) {
    const double v = k * step;
    if (v > hi + slack) break;
    t.values.push_back(v == 0 ? 0 : v);  // no "-0"
  }
  return t;
}

}  // namespace

Ticks nice_ticks(double lo, double hi, int target) { return ticks_every(lo, hi, nice_step(lo, hi, target)); }

Ticks hour_ticks(double lo, double hi, int target) {
  const double raw = (hi - lo) / std::max(target, 1);
  for (double step : {1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 48.0})
    if (step >= raw) return ticks_every(lo, hi, step);
  return ticks_every(lo, hi, 24 * std::ceil(raw / 24));
}

double nice_ceiling(double hi, int target) {
  const double step = nice_step(0, hi, target);
  return std::ceil(hi / step - 1e-9) * step;
}

std::vector<std::string> tick_labels(const Ticks& ticks) {
  double largest = 0;
  for (double v : ticks.values) largest = std::max(largest, std::fabs(v));
  double unit = 1;
  const char* suffix = "";
  if (largest >= 1e9) {
    unit = 1e9;
    suffix = "G";
  } else if (largest >= 1e6) {
    unit = 1e6;
    suffix = "M";
  } else if (largest >= 1e4) {
    unit = 1e3;
    suffix = "k";
  }
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(ticks.step / unit) - 1e-9)));
  std::vector<std::string> labels;
  for (double v : ticks.values) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v / unit);
    std::string s = buffer;
    if (s.find('.') != std::string::npos) {
      s.erase(s.find_last_not_of('0') + 1);
      if (s.back() == '.') s.pop_back();
    }
    if (s == "-0") s = "0";
    labels.push_back(s == "0" ? s : s + suffix);
  }
  return labels;
}

}  // namespace matchfund::report
