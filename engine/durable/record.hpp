// One journaled change: the call that made it, with its arguments, so that
// replaying the records in order through the live engine rebuilds the state.
// Framing: u32 payload length, u32 CRC-32C of the payload, the payload.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/money.hpp"
#include "engine/time.hpp"

namespace matchfund::durable {

enum class RecordOp : std::uint8_t { reserve = 1, extend, confirm, cancel, refund, advance, top_up, freeze };

struct Record {
  RecordOp op = RecordOp::advance;
  Micros time = 0;     // the donation's time (reserve) or the call's `now`
  Minor amount = 0;    // reserve and top_up
  bool claw_back = false;  // freeze
  std::string_view id{};   // the donation id; the pool (top_up) or project (freeze)
  std::string_view donor{}, project{}, channel{};  // reserve
};

inline constexpr std::size_t kFrameBytes = 8;
inline constexpr std::uint32_t kMaxRecordBytes = 1u << 20;  // far above any valid record

void append_record(std::string& out, const Record& r);

// Reads the record framed at `bytes` (which may hold more after it).
struct Framed {
  enum class Status { ok, incomplete, bad } status = Status::bad;
  Record record;
  std::size_t size = 0;  // frame included
};
Framed read_record(std::string_view bytes);

}  // namespace matchfund::durable
