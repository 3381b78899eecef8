// The lifecycle events file (SPEC 6): every row read and checked before any
// event is applied.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/interner.hpp"
#include "engine/money.hpp"
#include "engine/time.hpp"

namespace matchfund {

enum class EventOp : std::uint8_t { reserve, extend, confirm, cancel, refund };
std::string_view op_name(EventOp op);

struct EventStream {
  std::vector<EventOp> op;
  std::vector<Micros> time;
  std::vector<std::uint32_t> id;  // index in ids
  std::vector<std::uint32_t> line;
  // Donation fields; meaningful on reserve rows only.
  std::vector<std::uint32_t> donor, project, channel;
  std::vector<Minor> amount;
  Interner ids;
  std::string label;

  std::size_t size() const { return op.size(); }
};

EventStream read_events(std::string_view text, const std::string& label, int minor_units, Catalog& catalog);

}  // namespace matchfund
