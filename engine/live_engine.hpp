// The live reservation lifecycle (SPEC 6) as a single-threaded state machine
// over the allocator: reserve holds grants, confirm makes them final, cancel,
// expiry and refund release them; top-up and freeze change the rules live.
// Every call validates everything before it changes anything, so a refused
// call leaves no trace. engine/engine.hpp adds locking and durability.
#pragma once

#include <cstdint>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/engine_types.hpp"
#include "engine/rules.hpp"

namespace matchfund {

class LiveEngine {
 public:
  // Called for every hold that lapses, in the order the holds were made, with
  // op "expire" rows. Runs inside the call that moved the clock.
  using ExpiryListener = std::function<void(const Settlement&)>;

  struct Limits {
    Micros max_time_lag = -1;              // how far behind the clock a time may be (< 0: no bound)
    std::size_t max_name_bytes = SIZE_MAX;  // ids and names
  };
  LiveEngine(std::unique_ptr<Campaign> campaign, std::unique_ptr<Catalog> catalog, Limits limits);

  void set_expiry_listener(ExpiryListener listener) { on_expire_ = std::move(listener); }
  // Recovery replays what was accepted under the limits of its day; the
  // limits of this opening apply from then on.
  void set_limits(Limits limits) { limits_ = limits; }

  Result<Allocation> quote(const Donation& d);
  Result<Allocation> reserve(const Donation& d);
  Result<Micros> extend(std::string_view id, Micros now);  // the new deadline
  Result<Settlement> confirm(std::string_view id, Micros now);
  Result<Settlement> cancel(std::string_view id, Micros now);
  Result<Settlement> refund(std::string_view id, Micros now);
  // Moves the clock to `now` (if later) and lets the holds due by then lapse.
  Result<Done> advance(Micros now);
  Result<Done> top_up(std::string_view pool, Minor amount);
  // Stops matching the project; releases its holds, and its confirmed matches too when `claw_back`.
  Result<std::vector<Settlement>> freeze(std::string_view project, bool claw_back);

  Result<Explanation> explain(std::string_view id) const;
  std::vector<PoolTotals> pool_totals() const;  // in rules order
  MatchTotals project_totals(std::string_view project) const;
  MatchTotals donor_totals(std::string_view donor) const;
  Micros clock() const { return clock_; }
  const Plan& plan() const { return plan_; }
  const Campaign& campaign() const { return *campaign_; }

  friend class LiveSnapshot;  // engine/durable/snapshot.cpp

 private:
  struct Row {
    std::uint32_t pool;
    Minor base, grant;
    LimitId limit;
  };
  struct Reservation {
    HoldState state = HoldState::held;
    std::uint64_t made_seq = 0;
    Micros made = 0, deadline = 0;
    DonationKeys keys;
    std::uint32_t channel = 0;
    std::vector<Row> rows;
    std::vector<Minor> headrooms;  // per row: the pool's limits in limit order
  };
  struct Deadline {
    Micros at;
    std::uint64_t made_seq;
    std::uint32_t id;
    bool operator>(const Deadline& o) const { return at != o.at ? at > o.at : made_seq > o.made_seq; }
  };
  struct Indices {
    std::uint32_t donor, project, channel;
  };

  // Checks a donation and a time, without changing anything.
  Result<Done> check_donation(const Donation& d) const;
  Result<Done> check_time(Micros t) const;
  Indices intern(const Donation& d);
  // Allocates one donation; grants are committed. On a base overflow, undoes it all and returns false.
  bool allocate(const Donation& d, const Indices& ix, Reservation& r);
  void undo(Reservation& r);
  Allocation allocation_of(const Reservation& r) const;
  // The held reservation `id` as it stands at time `now`: null with the refusal otherwise.
  Result<std::uint32_t> find(std::string_view id, Micros now, HoldState wanted) const;
  void advance_clock(Micros t);
  Settlement settle(std::uint32_t id, HoldState to);
  std::size_t headroom_count(std::uint32_t pool) const;
  std::string_view reason_not_eligible(const Reservation& r, std::uint32_t pool) const;
  void add_match(const Reservation& r, Minor held, Minor confirmed);

  std::unique_ptr<Campaign> campaign_;
  std::unique_ptr<Catalog> catalog_;
  Plan plan_;
  Allocator allocator_;
  Micros ttl_, max_;
  Limits limits_;
  ExpiryListener on_expire_;

  bool started_ = false;
  Micros clock_ = 0;
  std::uint64_t next_seq_ = 0;
  Interner ids_;
  std::deque<Reservation> reservations_;  // by id index; a deque never moves them as it grows
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<Deadline>> deadlines_;
  struct PoolSums {
    Minor held = 0, confirmed = 0, released = 0;
  };
  std::vector<PoolSums> pool_sums_;  // plan order
  std::vector<MatchTotals> by_project_, by_donor_;
  std::vector<std::uint8_t> frozen_;  // by project index
  std::uint32_t frozen_count_ = 0;
  std::vector<Allocator::PoolMarks> marks_;  // scratch for undo
};

}  // namespace matchfund
