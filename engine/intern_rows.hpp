// A batch of checked rows interned in file order (the donor, project and
// channel names to indices), each row's donor slot prefetched a few rows
// ahead: what every reader of a donations file does with a RowBatch.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "engine/catalog.hpp"
#include "engine/csv_reader.hpp"
#include "engine/donation_rows.hpp"
#include "engine/limits.hpp"

namespace matchfund {

// A run knows at most input_limits().max_projects projects.
inline void check_project_count(const CsvReader& reader, const Catalog& catalog, std::size_t line) {
  const std::size_t limit = input_limits().max_projects;
  if (catalog.projects.size() > limit)
    reader.fail(line, "project", "more than the limit of " + std::to_string(limit) +
                                     " distinct projects (max_projects, docs/reliability.md)");
}

// Writes row k's indices to donor[k], project[k] and channel[k] (0: cash),
// then calls after_row(k, line), where line is the row's line in the file.
// Throws the input Error of a row that passes the project limit.
template <class AfterRow>
void intern_rows(const RowBatch& batch, const CsvReader& reader, Catalog& catalog, std::uint32_t* donor,
                 std::uint32_t* project, std::uint32_t* channel, AfterRow&& after_row) {
  constexpr std::size_t kAhead = 16;
  const std::size_t count = batch.count();
  for (std::size_t k = 0; k < std::min(kAhead, count); ++k) catalog.donors.prefetch(batch.rows[k].donor_hash);
  for (std::size_t k = 0; k < count; ++k) {
    if (k + kAhead < count) catalog.donors.prefetch(batch.rows[k + kAhead].donor_hash);
    const PendingRow& r = batch.rows[k];
    const std::uint32_t line = batch.line[k] + batch.line_base;
    donor[k] = catalog.donors.intern(r.donor, r.donor_hash).first;
    project[k] = catalog.project(r.project, r.project_hash);
    channel[k] = r.channel.empty() ? 0 : catalog.channels.intern(r.channel).first;
    check_project_count(reader, catalog, line);
    after_row(k, line);
  }
}

}  // namespace matchfund
