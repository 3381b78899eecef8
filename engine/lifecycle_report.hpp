// The lifecycle outputs of SPEC 6: the event ledger and the summary.
#pragma once

#include <string>
#include <string_view>

#include "engine/events.hpp"
#include "engine/lifecycle.hpp"

namespace matchfund {

inline constexpr std::string_view kEventLedgerHeader = "op,id,pool,base,amount,limit\n";

// Appends one event-ledger line for `effect`.
void append_event_row(std::string& out, const Effect& effect, const EventStream& events, const Plan& plan);

// The lifecycle summary JSON, with a trailing newline.
std::string lifecycle_summary_json(const Plan& plan, const EventStream& events, const Lifecycle& lifecycle);

}  // namespace matchfund
