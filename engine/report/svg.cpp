#include "engine/report/svg.hpp"

#include <cmath>
#include <cstdio>

namespace matchfund::report {

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  return out;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "";
  char buffer[48];
  if (std::fabs(v) >= 100)
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
  else
    std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

std::string shorten(const std::string& text, std::size_t max_chars) {
  // Byte offsets where each character starts (UTF-8 continuation bytes are 10xxxxxx).
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  if (starts.size() <= max_chars || max_chars == 0) return text;
  return text.substr(0, starts[max_chars - 1]) + "…";
}

std::string px(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  std::string s = buffer;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string line_path(const std::vector<double>& xs, const std::vector<double>& ys, const LinearScale& x,
                      const LinearScale& y) {
  std::string d;
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    d += i == 0 ? "M" : " L";
    d += px(x(xs[i])) + "," + px(y(ys[i]));
  }
  return d;
}

const char* series_colour(std::size_t i) {
  static constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                                             "#666666", "#000000", "#882255", "#44AA99", "#999933", "#AA4499"};
  return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

Plot make_plot(double x0, double x1, double y0, double y1, double width, double height, double left) {
  Plot p;
  p.width = width;
  p.height = height;
  p.left = left;
  p.x = {x0, x1, p.left, p.width - p.right};
  p.y = {y0, y1, p.height - p.bottom, p.top};
  return p;
}

std::string svg_open(const Plot& plot, std::string_view kind, std::string_view title) {
  return "<svg class=\"chart\" data-chart=\"" + escape_xml(kind) + "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
         px(plot.width) + "\" height=\"" + px(plot.height) + "\" viewBox=\"0 0 " + px(plot.width) + " " +
         px(plot.height) + "\" role=\"img\"><title>" + escape_xml(title) + "</title><text class=\"chart-title\" x=\"" +
         px(plot.left) + "\" y=\"18\">" +
         escape_xml(shorten(std::string(title), static_cast<std::size_t>((plot.width - plot.left) / 8))) + "</text>";
}

std::string axes(const Plot& plot, const AxisText& x, const AxisText& y) {
  const double x0 = plot.left, x1 = plot.width - plot.right, y0 = plot.height - plot.bottom, y1 = plot.top;
  std::string s = "<g class=\"axes\">";
  const std::vector<std::string> xl = tick_labels(x.ticks);
  for (std::size_t i = 0; i < x.ticks.values.size(); ++i) {
    const std::string at = px(plot.x(x.ticks.values[i]));
    s += "<line class=\"grid\" x1=\"" + at + "\" x2=\"" + at + "\" y1=\"" + px(y1) + "\" y2=\"" + px(y0) + "\"/>";
    s += "<line class=\"tick\" x1=\"" + at + "\" x2=\"" + at + "\" y1=\"" + px(y0) + "\" y2=\"" + px(y0 + 5) + "\"/>";
    s += "<text class=\"tick-label\" text-anchor=\"middle\" x=\"" + at + "\" y=\"" + px(y0 + 18) + "\">" +
         escape_xml(xl[i]) + "</text>";
  }
  const std::vector<std::string> yl = tick_labels(y.ticks);
  for (std::size_t i = 0; i < y.ticks.values.size(); ++i) {
    const std::string at = px(plot.y(y.ticks.values[i]));
    s += "<line class=\"grid\" x1=\"" + px(x0) + "\" x2=\"" + px(x1) + "\" y1=\"" + at + "\" y2=\"" + at + "\"/>";
    s += "<line class=\"tick\" x1=\"" + px(x0 - 5) + "\" x2=\"" + px(x0) + "\" y1=\"" + at + "\" y2=\"" + at + "\"/>";
    s += "<text class=\"tick-label\" text-anchor=\"end\" x=\"" + px(x0 - 8) + "\" y=\"" + px(plot.y(y.ticks.values[i]) + 4) +
         "\">" + escape_xml(yl[i]) + "</text>";
  }
  s += "<line class=\"axis\" x1=\"" + px(x0) + "\" x2=\"" + px(x1) + "\" y1=\"" + px(y0) + "\" y2=\"" + px(y0) + "\"/>";
  s += "<line class=\"axis\" x1=\"" + px(x0) + "\" x2=\"" + px(x0) + "\" y1=\"" + px(y1) + "\" y2=\"" + px(y0) + "\"/>";
  s += "<text class=\"axis-title\" text-anchor=\"middle\" x=\"" + px((x0 + x1) / 2) + "\" y=\"" +
       px(plot.height - 8) + "\">" + escape_xml(x.title) + "</text>";
  const std::string cy = px((y0 + y1) / 2);
  s += "<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(14," + cy + ") rotate(-90)\">" +
       escape_xml(y.title) + "</text>";
  return s + "</g>";
}

std::string legend(const std::vector<LegendEntry>& entries) {
  std::string s = "<div class=\"legend\">";
  for (const LegendEntry& e : entries) {
    s += "<span class=\"legend-item\"><svg width=\"24\" height=\"12\" aria-hidden=\"true\">";
    if (e.dot)
      s += "<circle cx=\"12\" cy=\"6\" r=\"4\" fill=\"" + escape_xml(e.colour) + "\" stroke=\"#fff\"/>";
    else
      s += "<line x1=\"1\" x2=\"23\" y1=\"6\" y2=\"6\" stroke=\"" + escape_xml(e.colour) +
           "\" stroke-width=\"3\"" + (e.dash.empty() ? "" : " stroke-dasharray=\"" + escape_xml(e.dash) + "\"") +
           "/>";
    s += "</svg>" + escape_xml(e.name) + "</span>";
  }
  return s + "</div>";
}

}  // namespace matchfund::report
