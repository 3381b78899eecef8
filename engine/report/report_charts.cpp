#include "engine/report/report_charts.hpp"

#include <algorithm>
#include <cmath>

#include "engine/report/charts.hpp"

namespace matchfund::report {

namespace {

constexpr const char* kReleaseDash = "2,3";
constexpr const char* kRunOutDash = "6,3";

std::string figure(const std::string& svg, const std::vector<LegendEntry>& entries, const std::string& caption) {
  return "<figure>" + svg + legend(entries) + "<figcaption>" + escape_xml(caption) + "</figcaption></figure>";
}

double hours_between(Micros from, Micros to) {
  return static_cast<double>(to - from) / static_cast<double>(3600 * kMicrosPerSecond);
}

double top_of(double largest) { return largest > 0 ? nice_ceiling(largest, 5) : 1; }

}  // namespace

std::string depletion_figure(const ScenarioView& s) {
  // The curves start at 0 one bin width before the first bin's end.
  const Micros start = s.bin_end.front() - (s.bin_end[1] - s.bin_end[0]);
  LineChart chart;
  chart.kind = "depletion";
  chart.title = "Cumulative matching per pool, " + s.name;
  chart.x_axis.title = "hours since " + format_instant(start, s.local_time);
  chart.y_axis.title = "matched (cumulative)";
  chart.x1 = hours_between(start, s.bin_end.back());
  double largest = 0;
  std::vector<LegendEntry> entries;
  for (std::size_t p = 0; p < s.pools.size(); ++p) {
    const PoolTimeline& pool = s.pools[p];
    const std::string colour = series_colour(p);
    Series series{pool.id, colour, {0}, {0}, ""};
    for (std::size_t b = 0; b < s.bin_end.size() && b < pool.cumulative.size(); ++b) {
      series.x.push_back(hours_between(start, s.bin_end[b]));
      series.y.push_back(pool.cumulative[b]);
      largest = std::max(largest, pool.cumulative[b]);
    }
    chart.series.push_back(std::move(series));
    entries.push_back({pool.id, colour, "", false});
    for (Micros at : pool.releases) {
      const double x = hours_between(start, at);
      chart.markers.push_back({x, colour, kReleaseDash, pool.id + ": release at " + format_instant(at, s.local_time)});
      chart.x0 = std::min(chart.x0, x);
      chart.x1 = std::max(chart.x1, x);
    }
    if (pool.ran_out) {
      const double x = hours_between(start, *pool.ran_out);
      const std::string title = pool.id + ": ran out at " + format_instant(*pool.ran_out, s.local_time);
      chart.markers.push_back({x, colour, kRunOutDash, title});
      chart.dots.push_back({x, pool.budget, colour, title});
      largest = std::max(largest, pool.budget);
      chart.x0 = std::min(chart.x0, x);
      chart.x1 = std::max(chart.x1, x);
    }
  }
  chart.y1 = top_of(largest);
  chart.x_axis.ticks = hour_ticks(chart.x0, chart.x1, 8);
  entries.push_back({"release", "#444444", kReleaseDash, false});
  entries.push_back({"pool ran out", "#444444", kRunOutDash, false});
  entries.push_back({"pool ran out (budget reached)", "#444444", "", true});
  return figure(line_chart(chart), entries, s.name + ": matching granted by each pool up to each moment.");
}

std::string categories_figure(const std::vector<ScenarioView>& scenarios) {
  constexpr std::size_t kMaxCategories = 20;
  std::vector<std::pair<std::string, double>> order = scenarios.front().categories;
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (order.size() > kMaxCategories) order.resize(kMaxCategories);
  std::vector<std::string> names;
  for (const auto& [name, _] : order) names.push_back(name);
  std::vector<BarGroup> groups;
  std::vector<LegendEntry> entries;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    BarGroup g{scenarios[k].name, series_colour(k), {}};
    for (const std::string& name : names) {
      double v = 0;
      for (const auto& [category, matched] : scenarios[k].categories)
        if (category == name) v = matched;
      g.values.push_back(v);
    }
    entries.push_back({g.name, g.colour, "", false});
    groups.push_back(std::move(g));
  }
  return figure(bar_chart("categories", "Matching by category", "matched", names, groups), entries,
                "Total matching granted to the projects of each category (the " + std::to_string(names.size()) +
                    " largest in the first scenario).");
}

std::string lorenz_figure(const std::vector<ScenarioView>& scenarios, bool orgs) {
  const std::string across = orgs ? "orgs" : "projects";
  LineChart chart;
  chart.kind = "lorenz-" + across;
  chart.title = "Lorenz curve of matching across " + across;
  chart.x_axis.title = "share of " + across + " (least matched first)";
  chart.y_axis.title = "share of matching";
  chart.series.push_back({"equality", "#999999", {0, 1}, {0, 1}, "4,4"});
  std::vector<LegendEntry> entries{{"equality", "#999999", "4,4", false}};
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const ScenarioView& s = scenarios[k];
    chart.series.push_back({s.name, series_colour(k), s.population_share, orgs ? s.lorenz_orgs : s.lorenz_projects, ""});
    entries.push_back({s.name, series_colour(k), "", false});
  }
  return figure(line_chart(chart), entries,
                "The further below the diagonal, the more unequally matching is spread across " + across + ".");
}

std::string ratio_figure(const std::vector<ScenarioView>& scenarios) {
  constexpr std::size_t kBins = 40;
  double largest = 0;
  for (const ScenarioView& s : scenarios)
    for (double r : s.ratios) largest = std::max(largest, r);
  const double hi = top_of(largest);
  LineChart chart;
  chart.kind = "ratios";
  chart.title = "Effective match ratio across projects";
  chart.x_axis.title = "matched / donated";
  chart.y_axis.title = "projects";
  chart.x1 = hi;
  double tallest = 0;
  std::vector<LegendEntry> entries;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const std::vector<std::size_t> counts = histogram(scenarios[k].ratios, 0, hi, kBins);
    for (std::size_t c : counts) tallest = std::max(tallest, static_cast<double>(c));
    Series steps = histogram_steps(counts, 0, hi);
    steps.name = scenarios[k].name;
    steps.colour = series_colour(k);
    chart.series.push_back(std::move(steps));
    entries.push_back({scenarios[k].name, series_colour(k), "", false});
  }
  chart.y1 = top_of(tallest);
  return figure(line_chart(chart), entries,
                "Number of projects per ratio band (" + std::to_string(kBins) + " bands of " + format_number(hi / kBins) +
                    ").");
}

}  // namespace matchfund::report
