// The live reservation lifecycle (SPEC 6) over the allocator: reserve holds
// grants, confirm makes them final, cancel / expiry / refund release them.
// Holds run on a clock that only moves forward.
#pragma once

#include <cstdint>
#include <queue>
#include <string>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/events.hpp"

namespace matchfund {

enum class ReservationState : std::uint8_t { held, confirmed, cancelled, expired, refunded };

// What an event did, in the order it happened (expiries first).
struct Effect {
  // grant: a reserve's row; settle: a confirm, cancel, refund or expire row
  // repeating one grant; rejected: an event refused with `reason`.
  enum class Kind : std::uint8_t { grant, settle, rejected } kind = Kind::grant;
  std::string_view op;     // the ledger's op column: the event's op, or "expire"
  std::uint32_t id = 0;    // reservation id index
  std::uint32_t pool = 0;         // index in plan.pools()
  Minor base = 0;
  Minor amount = 0;
  LimitId limit = kLimitNone;
  std::string_view reason;  // for rejected
};

class Lifecycle {
 public:
  // `plan` and `catalog` must outlive it; ttl and max come from the campaign.
  Lifecycle(const Plan& plan, const Catalog& catalog);

  // Applies event i of `events`, appending its effects. Returns false when the
  // reserve's base does not fit int64 (the caller reports an input error).
  bool apply(const EventStream& events, std::size_t i, std::vector<Effect>& effects);

  // Totals per pool (plan order).
  struct PoolTotals {
    Minor held = 0, confirmed = 0, released = 0;
  };
  const std::vector<PoolTotals>& totals() const { return totals_; }
  std::uint64_t rejected() const { return rejected_; }

 private:
  struct Row {
    std::uint32_t pool;
    Minor grant;
  };
  struct Reservation {
    ReservationState state = ReservationState::held;
    std::uint64_t made_seq = 0;
    Micros made = 0;
    Micros deadline = 0;
    DonationKeys keys;
    std::vector<Row> rows;
  };
  struct Deadline {
    Micros at;
    std::uint64_t made_seq;
    std::uint32_t id;
    bool operator>(const Deadline& o) const { return at != o.at ? at > o.at : made_seq > o.made_seq; }
  };
  void advance_clock(Micros t, std::vector<Effect>& effects);
  // Reports one settle row per pool row of the reservation; releases the grants unless confirming.
  void settle(std::uint32_t id, Reservation& r, std::string_view op, bool release, std::vector<Effect>& effects);
  bool reserve(const EventStream& events, std::size_t i, std::vector<Effect>& effects);
  void reject(EventOp op, std::uint32_t id, std::string_view reason, std::vector<Effect>& effects);

  const Plan& plan_;
  Allocator allocator_;
  Micros ttl_, max_;
  bool started_ = false;
  Micros clock_ = 0;
  std::uint64_t next_seq_ = 0;
  std::vector<Reservation> reservations_;  // by id index
  std::vector<std::uint8_t> reserved_;     // by id index: an accepted reserve exists
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<Deadline>> deadlines_;
  std::vector<PoolTotals> totals_;
  std::uint64_t rejected_ = 0;
};

}  // namespace matchfund
