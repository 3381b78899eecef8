// The workload of the crash test: a deterministic stream of engine calls per
// (seed, round, index), so the test can replay exactly what a killed child
// process was told was accepted.
#pragma once

#include <cstdint>
#include <string>

#include "engine/engine.hpp"
#include "engine/hash.hpp"

namespace matchfund::crash {

// Two pools that run dry and get topped up; caps per donor and per project;
// holds lapse after 60 calls (one second of clock per call).
inline constexpr const char* kRules = R"({
  "reservation_ttl_seconds": 60,
  "reservation_max_seconds": 120,
  "pools": [
    {"id": "main", "budget": "500", "match": {"ratio": "1"}, "caps": {"per_donor": {"amount": "40"}}},
    {"id": "kids", "budget": "200", "match": {"ratio": "0.5"}, "priority": 1,
     "caps": {"per_project": {"amount": "60"}}}
  ]
})";

inline constexpr Micros kStart = 1'504'746'000 * kMicrosPerSecond;

inline std::string donation_id(std::uint64_t round, std::int64_t index) {
  return "r" + std::to_string(round) + "-" + std::to_string(index);
}

enum class CallKind { reserve, confirm, cancel, refund, extend, advance, quote, top_up, freeze };

struct Call {
  CallKind kind = CallKind::advance;
  std::string id, donor, project;
  Minor amount = 0;
  Micros time = 0;
  bool claw_back = false;
};

inline Call call_at(std::uint64_t seed, std::uint64_t round, std::int64_t index) {
  const std::uint64_t h = splitmix64(seed ^ splitmix64(round * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(index)));
  const std::uint64_t pick = h % 100, a = (h >> 8) % 1000, b = (h >> 20) % 1000;
  Call c;
  c.time = kStart + static_cast<Micros>(round * 1'000'000 + static_cast<std::uint64_t>(index)) * kMicrosPerSecond;
  auto earlier = [&](std::int64_t back) { return donation_id(round, index - 1 - back); };
  if (pick < 45) {
    c.kind = CallKind::reserve;
    c.id = donation_id(round, index);
    c.donor = "d" + std::to_string(a % 40);
    c.project = "p" + std::to_string(b % 15);
    c.amount = 100 + static_cast<Minor>((a * 7 + b) % 4900);
  } else if (pick < 70) {
    c.kind = CallKind::confirm;
    c.id = earlier(a % 5);
  } else if (pick < 78) {
    c.kind = CallKind::cancel;
    c.id = earlier(a % 5);
  } else if (pick < 84) {
    c.kind = CallKind::refund;
    c.id = earlier(1 + a % 8);
  } else if (pick < 90) {
    c.kind = CallKind::extend;
    c.id = earlier(a % 5);
  } else if (pick < 95) {
    c.kind = CallKind::advance;
  } else if (pick < 97) {
    c.kind = CallKind::quote;
    c.donor = "d" + std::to_string(a % 40);
    c.project = "p" + std::to_string(b % 15);
    c.amount = 1000;
  } else if (pick < 99) {
    c.kind = CallKind::top_up;
    c.id = a % 2 ? "main" : "kids";
    c.amount = 5000;
  } else {
    c.kind = CallKind::freeze;
    c.project = "p" + std::to_string(10 + a % 5);
    c.claw_back = b % 2 == 0;
  }
  return c;
}

// Makes the call; true when the engine accepted it.
inline bool make_call(Engine& e, const Call& c) {
  switch (c.kind) {
    case CallKind::reserve: return e.reserve({c.id, c.donor, c.project, "", c.amount, c.time}).ok();
    case CallKind::confirm: return e.confirm(c.id, c.time).ok();
    case CallKind::cancel: return e.cancel(c.id, c.time).ok();
    case CallKind::refund: return e.refund(c.id, c.time).ok();
    case CallKind::extend: return e.extend(c.id, c.time).ok();
    case CallKind::advance: return e.advance(c.time).ok();
    case CallKind::quote: return e.quote({"quote", c.donor, c.project, "", c.amount, c.time}).ok();
    case CallKind::top_up: return e.top_up(c.id, c.amount).ok();
    case CallKind::freeze: return e.freeze(c.project, c.claw_back).ok();
  }
  return false;
}

}  // namespace matchfund::crash
