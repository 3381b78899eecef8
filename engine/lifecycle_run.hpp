// `matchfund lifecycle` (SPEC 6) on the embedding API: every event of an
// events file goes through Engine calls, so the live path and offline replay
// cannot drift apart. Writes the event ledger; the summary comes from totals.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/engine.hpp"
#include "engine/events.hpp"
#include "engine/rules.hpp"

namespace matchfund {

inline constexpr std::string_view kEventLedgerHeader = "op,id,pool,base,amount,limit\n";

struct LifecycleRun {
  std::uint64_t events = 0, rejected = 0;
  std::vector<PoolTotals> pools;  // at the end, in rules order
};

// Opens an in-memory engine on `options` (no bound on time lag; its expiry
// listener writes the "expire" rows) and applies `events` in file order: the
// clock step, then the op. `names` is the catalog the events were read into.
// Appends ledger lines to `ledger`, calling `after_event` after each event.
// A reserve whose match does not fit int64 is an input Error at its line.
LifecycleRun run_lifecycle(Options options, const EventStream& events, const Catalog& names, std::string& ledger,
                           const std::function<void()>& after_event);

// The lifecycle summary JSON, with a trailing newline.
std::string lifecycle_summary_json(const Campaign& campaign, const LifecycleRun& run);

}  // namespace matchfund
