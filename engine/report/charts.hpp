// The report's chart kinds as SVG: line charts (with vertical markers and dots)
// and grouped horizontal bars, plus the histogram binning they draw.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/report/svg.hpp"

namespace matchfund::report {

struct Series {
  std::string name, colour;
  std::vector<double> x, y;
  std::string dash;  // SVG stroke-dasharray, "" for solid
};

// A vertical line at x (a release, a pool running out) with a hover title.
struct VerticalMarker {
  double x = 0;
  std::string colour, dash, title;
};

// A dot at (x, y) with a hover title.
struct Dot {
  double x = 0, y = 0;
  std::string colour, title;
};

struct LineChart {
  std::string kind, title;   // kind: the data-chart attribute
  AxisText x_axis, y_axis;   // titles, and ticks when not the default
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  std::vector<Series> series;
  std::vector<VerticalMarker> markers;
  std::vector<Dot> dots;
  double width = 560, height = 320;
};

// The axes use nice_ticks over [x0, x1] and [y0, y1] unless the chart's AxisText
// already holds ticks.
std::string line_chart(const LineChart& chart);

struct BarGroup {
  std::string name, colour;
  std::vector<double> values;  // one per category
};

// One row per category, one bar per group in each row.
std::string bar_chart(const std::string& kind, const std::string& title, const std::string& value_title,
                      const std::vector<std::string>& categories, const std::vector<BarGroup>& groups);

// Counts of `values` in `bins` equal bins over [lo, hi]; hi falls in the last
// bin, values outside [lo, hi] and NaN are not counted.
std::vector<std::size_t> histogram(const std::vector<double>& values, double lo, double hi, std::size_t bins);

// The outline of a histogram as a series: a step from bin edge to bin edge.
Series histogram_steps(const std::vector<std::size_t>& counts, double lo, double hi);

}  // namespace matchfund::report
