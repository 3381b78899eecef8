// A whole `simulate` (SPEC 5) from the donations file's text: the ledger's
// rows go to an output as they are allocated, and the summary is returned.
// The command line and the end-to-end benchmark share it.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/catalog.hpp"
#include "engine/donation_rows.hpp"
#include "engine/file_io.hpp"
#include "engine/rules.hpp"

namespace matchfund {

// How a streamed run cuts the file into batches (the rows read at once, from
// about stretch_bytes of text) and chunks (the rows allocated at once). The
// defaults are the fast ones; tests use tiny ones to cross every boundary.
struct StreamShape {
  // A few of the allocator's batches, so that a chunk's columns (about 40
  // bytes a row) stay in L2 between reading and allocating them.
  std::size_t chunk_rows = std::size_t{1} << 14;
  std::size_t stretch_bytes = DonationRowReader::kStretchBytes;
};

struct SimulateResult {
  std::string summary;   // the summary JSON
  bool streamed = true;  // false: the file was read again whole (see below)
};

// Allocates the donations of `text` (a donations file; `label` names it in
// errors) under `campaign`, writes the ledger to `ledger` (not finished) and
// returns the summary JSON. `catalog` holds the projects file's names and
// gains the donations'. `consumed` is as for read_donations.
//
// The file is read and allocated a chunk at a time: SPEC 5 lets a run
// validate while it allocates, since its outputs appear only on success. A
// chunk's columns are reused once it is allocated, and its ids' once its
// ledger rows are written, so memory holds a few chunks and an 8-byte id
// hash per donation (RepeatedHashes) instead of the whole stream (about 785 MB of
// columns at scale 1, all of it new memory, which is slow to fault in on
// some machines).
//
// Three things can only be handled with the whole stream at hand: a
// duplicate id (it is granted nothing, and known only once every id is in),
// a total donated that no longer fits int64, and a base that does not fit
// int64 (SPEC 8 orders such errors by line, after every parse error). When
// the streamed run meets one, it stops, the ledger is restarted, and the file
// is read again whole (read_donations) before anything is allocated. Parse
// errors are raised by either run in the same order, with the same text.
SimulateResult simulate_donations(std::string_view text, const std::string& label, const Campaign& campaign,
                                  Catalog& catalog, AtomicOutput& ledger,
                                  const std::function<void(std::size_t offset)>& consumed = {},
                                  const StreamShape& shape = {});

// The same run the other way: the whole stream read first (read_donations),
// then allocated (run_allocation). What simulate_donations falls back to.
std::string simulate_whole_stream(std::string_view text, const std::string& label, const Campaign& campaign,
                                  Catalog& catalog, AtomicOutput& ledger,
                                  const std::function<void(std::size_t offset)>& consumed = {});

}  // namespace matchfund
