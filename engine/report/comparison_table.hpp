// The scenario comparison table: one row per scenario (per scenario and seed
// when there is one seed), sortable by clicking any column header.
#pragma once

#include <cstddef>
#include <string>

#include "engine/report/results_files.hpp"

namespace matchfund::report {

// The <table>: the first `key_columns` columns as written; with `banded`, every
// metric's :mean, :p5 and :p95 columns become one column showing the mean over
// the 5-95% band. Each cell carries its raw value in data-v for sorting.
std::string comparison_table(const CsvTable& table, std::size_t key_columns, bool banded);

// The inline script that sorts every table.sortable by the clicked header
// (numbers numerically, text alphabetically, empty cells last).
const char* sort_script();

}  // namespace matchfund::report
