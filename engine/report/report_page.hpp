// `matchfund report`: the whole self-contained HTML page (inline CSS, SVG
// charts, one small inline script for sorting; nothing fetched from anywhere).
#pragma once

#include <cstddef>
#include <string>

#include "engine/report/report_input.hpp"

namespace matchfund::report {

// Scenarios read for the Lorenz curves; the other charts show the first
// kCompared of them.
inline constexpr std::size_t kScenariosRead = 6;
inline constexpr std::size_t kCompared = 4;

// The page for `in`; `source` names the results folder in the heading.
std::string render_report(const ReportInput& in, const std::string& source);

}  // namespace matchfund::report
