// SVG building blocks for the report: escaping, number formatting, path data,
// the colour palette, and a plot frame with its axes, grid and titles.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/report/scale.hpp"

namespace matchfund::report {

// Text made safe for XML/HTML content and attribute values.
std::string escape_xml(std::string_view text);

// A value for people: "" for NaN, whole numbers from 100 up, else three
// significant digits ("1234567", "12.3", "0.0456").
std::string format_number(double v);

// At most `max_chars` characters of UTF-8 `text`, with "…" when cut.
std::string shorten(const std::string& text, std::size_t max_chars);

// A pixel coordinate with at most one decimal ("12.5", "40").
std::string px(double v);

// Path data "M x0,y0 L x1,y1 ..." through the points (xs[i], ys[i]) scaled;
// empty when there are no points.
std::string line_path(const std::vector<double>& xs, const std::vector<double>& ys, const LinearScale& x,
                      const LinearScale& y);

// Colour of the i-th series (Okabe-Ito, then Paul Tol's muted colours: readable
// on white and for colour-blind readers), cycling after the twelfth.
const char* series_colour(std::size_t i);

// A chart's canvas: the whole SVG size and the plot area inside the margins.
struct Plot {
  double width = 560, height = 320;
  double left = 64, right = 16, top = 28, bottom = 48;
  LinearScale x, y;  // domain set by the chart; ranges set by plot()
};

// A Plot whose scales map [x0, x1] x [y0, y1] onto the plot area.
Plot make_plot(double x0, double x1, double y0, double y1, double width = 560, double height = 320,
               double left = 64);

struct AxisText {
  std::string title;  // under the x axis / beside the y axis
  Ticks ticks;        // labelled with tick_labels
};

// "<svg ...>" opening with the chart title (shortened to fit the width; whole
// in the accessible <title>) and data-chart=`kind` (the tests look for it).
std::string svg_open(const Plot& plot, std::string_view kind, std::string_view title);
// Grid lines, axis lines, tick marks, tick labels and axis titles.
std::string axes(const Plot& plot, const AxisText& x, const AxisText& y);

// An HTML legend: one swatch and name per entry; `dash` is an SVG
// stroke-dasharray ("" for a solid line), `dot` draws a marker instead.
struct LegendEntry {
  std::string name, colour, dash;
  bool dot = false;
};
std::string legend(const std::vector<LegendEntry>& entries);

}  // namespace matchfund::report
