#include "engine/report/report_page.hpp"

#include <algorithm>

#include "engine/report/comparison_table.hpp"
#include "engine/report/report_charts.hpp"
#include "engine/report/svg.hpp"

namespace matchfund::report {

namespace {

constexpr const char* kStyle = R"CSS(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #222;
       margin: 24px auto; max-width: 1160px; padding: 0 12px; background: #fff; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.note { color: #555; font-size: 13px; margin: 4px 0; }
.figures { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; width: 560px; }
figcaption { font-size: 12px; color: #555; margin-top: 2px; }
svg.chart { background: #fff; display: block; }
svg.chart text { font-size: 11px; fill: #333; }
svg.chart .chart-title { font-size: 13px; font-weight: 600; }
svg.chart .axis-title { font-size: 12px; fill: #444; }
svg.chart .grid { stroke: #e6e6e6; }
svg.chart .axis, svg.chart .tick { stroke: #555; }
.legend { font-size: 12px; display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 2px; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table.sortable { border-collapse: collapse; font-size: 12px; }
table.sortable th { cursor: pointer; background: #f2f4f7; position: sticky; top: 0; text-align: left;
                    max-width: 140px; vertical-align: bottom; padding: 4px 6px; border-bottom: 2px solid #ccc; }
table.sortable th[aria-sort=ascending]::after { content: " \25B2"; }
table.sortable th[aria-sort=descending]::after { content: " \25BC"; }
table.sortable td { padding: 3px 6px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
table.sortable tbody tr:nth-child(even) { background: #fafafa; }
.band { display: block; color: #888; font-size: 10px; }
)CSS";

std::vector<ScenarioView> first(const std::vector<ScenarioView>& scenarios, std::size_t n) {
  return {scenarios.begin(), scenarios.begin() + static_cast<std::ptrdiff_t>(std::min(n, scenarios.size()))};
}

}  // namespace

std::string render_report(const ReportInput& in, const std::string& source) {
  const std::vector<ScenarioView> compared = first(in.scenarios, kCompared);
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>matchfund sweep report — " +
                     escape_xml(source) + "</title><style>" + kStyle + "</style></head><body>";
  html += "<h1>matchfund sweep report</h1><p class=\"note\">Results folder <code>" + escape_xml(source) + "</code>: " +
          std::to_string(in.scenario_count) + " scenario(s) × " + std::to_string(in.seeds) +
          " seed(s). The charts show the first seed of the first " + std::to_string(compared.size()) +
          " scenario(s) (Lorenz curves: " + std::to_string(in.scenarios.size()) + ").</p>";
  html += "<h2>Pool depletion</h2><div class=\"figures\">";
  for (const ScenarioView& s : compared) html += depletion_figure(s);
  html += "</div><h2>Matching by category</h2><div class=\"figures\">" + categories_figure(compared) + "</div>";
  html += "<h2>Inequality of matching</h2><div class=\"figures\">" + lorenz_figure(in.scenarios, false) +
          lorenz_figure(in.scenarios, true) + "</div>";
  html += "<h2>Effective match ratio</h2><div class=\"figures\">" + ratio_figure(compared) + "</div>";
  html += "<h2>Scenario comparison</h2><p class=\"note\">" +
          std::string(in.banded ? "Mean across seeds, with the 5–95% band below it. "
                                : "One row per scenario and seed. ") +
          "Click a column header to sort; empty cells do not apply.</p>" +
          comparison_table(in.table, in.key_columns, in.banded);
  html += "<script>" + std::string(sort_script()) + "</script></body></html>\n";
  return html;
}

}  // namespace matchfund::report
