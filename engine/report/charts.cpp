#include "engine/report/charts.hpp"

#include <algorithm>
#include <cmath>

namespace matchfund::report {

namespace {

std::string dash_attribute(const std::string& dash) {
  return dash.empty() ? "" : " stroke-dasharray=\"" + escape_xml(dash) + "\"";
}

}  // namespace

std::string line_chart(const LineChart& c) {
  const Plot plot = make_plot(c.x0, c.x1, c.y0, c.y1, c.width, c.height);
  AxisText xa = c.x_axis, ya = c.y_axis;
  if (xa.ticks.values.empty()) xa.ticks = nice_ticks(c.x0, c.x1, 8);
  if (ya.ticks.values.empty()) ya.ticks = nice_ticks(c.y0, c.y1, 5);
  std::string s = svg_open(plot, c.kind, c.title) + axes(plot, xa, ya);
  for (const VerticalMarker& m : c.markers) {
    const std::string at = px(plot.x(m.x));
    s += "<line class=\"marker\" x1=\"" + at + "\" x2=\"" + at + "\" y1=\"" + px(plot.top) + "\" y2=\"" +
         px(plot.height - plot.bottom) + "\" stroke=\"" + escape_xml(m.colour) + "\" stroke-width=\"1.5\"" +
         dash_attribute(m.dash) + "><title>" + escape_xml(m.title) + "</title></line>";
  }
  for (const Series& series : c.series)
    s += "<path class=\"series\" fill=\"none\" stroke=\"" + escape_xml(series.colour) + "\" stroke-width=\"2\"" +
         dash_attribute(series.dash) + " d=\"" + line_path(series.x, series.y, plot.x, plot.y) + "\"><title>" +
         escape_xml(series.name) + "</title></path>";
  for (const Dot& d : c.dots)
    s += "<circle class=\"dot\" cx=\"" + px(plot.x(d.x)) + "\" cy=\"" + px(plot.y(d.y)) + "\" r=\"5\" fill=\"" +
         escape_xml(d.colour) + "\" stroke=\"#fff\" stroke-width=\"1.5\"><title>" + escape_xml(d.title) +
         "</title></circle>";
  return s + "</svg>";
}

std::string bar_chart(const std::string& kind, const std::string& title, const std::string& value_title,
                      const std::vector<std::string>& categories, const std::vector<BarGroup>& groups) {
  constexpr double kBar = 9, kGap = 8, kLabelWidth = 150;
  double top = 0;
  for (const BarGroup& g : groups)
    for (double v : g.values) top = std::max(top, v);
  if (top <= 0) top = 1;
  const Ticks ticks = nice_ticks(0, nice_ceiling(top, 5), 5);
  const double row = kBar * static_cast<double>(std::max<std::size_t>(groups.size(), 1)) + kGap;
  Plot plot = make_plot(0, ticks.values.back(), 0, 1, 560, 28 + 48 + row * static_cast<double>(categories.size()),
                        kLabelWidth);
  AxisText xa{value_title, ticks}, ya;
  std::string s = svg_open(plot, kind, title) + axes(plot, xa, ya);
  for (std::size_t c = 0; c < categories.size(); ++c) {
    const double y = plot.top + row * static_cast<double>(c) + kGap / 2;
    const std::string label = categories[c].empty() ? "(none)" : shorten(categories[c], 22);
    s += "<text class=\"tick-label\" text-anchor=\"end\" x=\"" + px(plot.left - 8) + "\" y=\"" +
         px(y + (row - kGap) / 2 + 4) + "\">" + escape_xml(label) + "<title>" + escape_xml(categories[c]) +
         "</title></text>";
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const double v = c < groups[g].values.size() ? groups[g].values[c] : 0;
      s += "<rect class=\"bar\" x=\"" + px(plot.left) + "\" y=\"" + px(y + kBar * static_cast<double>(g)) +
           "\" width=\"" + px(std::max(0.0, plot.x(v) - plot.left)) + "\" height=\"" + px(kBar - 1) + "\" fill=\"" +
           escape_xml(groups[g].colour) + "\"><title>" + escape_xml(groups[g].name + ": " + categories[c] + " " + format_number(v)) +
           "</title></rect>";
    }
  }
  return s + "</svg>";
}

std::vector<std::size_t> histogram(const std::vector<double>& values, double lo, double hi, std::size_t bins) {
  std::vector<std::size_t> counts(bins, 0);
  if (bins == 0 || !(hi > lo)) return counts;
  for (double v : values) {
    if (!(v >= lo && v <= hi)) continue;
    const auto b = static_cast<std::size_t>((v - lo) / (hi - lo) * static_cast<double>(bins));
    ++counts[std::min(b, bins - 1)];
  }
  return counts;
}

Series histogram_steps(const std::vector<std::size_t>& counts, double lo, double hi) {
  Series s;
  const double width = (hi - lo) / static_cast<double>(std::max<std::size_t>(counts.size(), 1));
  s.x.push_back(lo);
  s.y.push_back(0);
  for (std::size_t b = 0; b < counts.size(); ++b) {
    const double left = lo + width * static_cast<double>(b), y = static_cast<double>(counts[b]);
    s.x.insert(s.x.end(), {left, left + width});
    s.y.insert(s.y.end(), {y, y});
  }
  s.x.push_back(hi);
  s.y.push_back(0);
  return s;
}

}  // namespace matchfund::report
