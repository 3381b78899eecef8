// The report's figures, each an HTML <figure> holding an SVG chart and its
// legend, drawn from the scenarios of a ReportInput.
#pragma once

#include <string>
#include <vector>

#include "engine/report/report_input.hpp"

namespace matchfund::report {

// Cumulative matching per pool over time for one scenario, with the releases
// (dotted) and the moments pools ran out (dashed, with a dot) marked.
std::string depletion_figure(const ScenarioView& scenario);

// Matching by category, one bar per scenario in each category row.
std::string categories_figure(const std::vector<ScenarioView>& scenarios);

// Lorenz curves of matching across projects (orgs when `orgs`), one line per
// scenario, with the equality diagonal.
std::string lorenz_figure(const std::vector<ScenarioView>& scenarios, bool orgs);

// Distribution of the effective match ratio (matched / donated) across
// projects, one histogram outline per scenario.
std::string ratio_figure(const std::vector<ScenarioView>& scenarios);

}  // namespace matchfund::report
