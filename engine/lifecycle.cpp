#include "engine/lifecycle.hpp"

#include <algorithm>

namespace matchfund {

Lifecycle::Lifecycle(const Plan& plan, const Catalog& catalog)
    : plan_(plan),
      allocator_(plan, catalog),
      ttl_(plan.campaign().reservation_ttl_seconds * kMicrosPerSecond),
      max_(plan.campaign().reservation_max_seconds * kMicrosPerSecond),
      totals_(plan.pools().size()) {}

void Lifecycle::settle(std::uint32_t id, Reservation& r, std::string_view op, bool release,
                       std::vector<Effect>& effects) {
  const bool was_held = r.state == ReservationState::held;
  for (const Row& row : r.rows) {
    PoolTotals& t = totals_[row.pool];
    (was_held ? t.held : t.confirmed) -= row.grant;
    if (release) {
      allocator_.release(r.keys, row.pool, row.grant);
      t.released += row.grant;
    } else {
      t.confirmed += row.grant;
    }
    Effect e;
    e.kind = Effect::Kind::settle;
    e.op = op;
    e.id = id;
    e.pool = row.pool;
    e.amount = row.grant;
    effects.push_back(e);
  }
}

void Lifecycle::advance_clock(Micros t, std::vector<Effect>& effects) {
  if (!started_ || t > clock_) clock_ = t;
  started_ = true;
  // Holds whose deadline has come lapse together, released in the order they were made.
  std::vector<Deadline> lapsing;
  while (!deadlines_.empty() && deadlines_.top().at <= clock_) {
    Deadline d = deadlines_.top();
    deadlines_.pop();
    const Reservation& r = reservations_[d.id];
    // Entries left behind by an extend or a settled hold are stale.
    if (r.state == ReservationState::held && r.deadline == d.at) lapsing.push_back(d);
  }
  std::sort(lapsing.begin(), lapsing.end(),
            [](const Deadline& a, const Deadline& b) { return a.made_seq < b.made_seq; });
  for (const Deadline& d : lapsing) {
    Reservation& r = reservations_[d.id];
    settle(d.id, r, "expire", true, effects);
    r.state = ReservationState::expired;
  }
}

void Lifecycle::reject(EventOp op, std::uint32_t id, std::string_view reason, std::vector<Effect>& effects) {
  ++rejected_;
  Effect e;
    e.kind = Effect::Kind::rejected;
  e.op = op_name(op);
  e.id = id;
  e.reason = reason;
  effects.push_back(e);
}

bool Lifecycle::reserve(const EventStream& events, std::size_t i, std::vector<Effect>& effects) {
  const std::uint32_t id = events.id[i];
  DonationInput in;
  in.size = 1;
  in.time = &events.time[i];
  in.donor = &events.donor[i];
  in.project = &events.project[i];
  in.channel = &events.channel[i];
  in.amount = &events.amount[i];
  in.id_hash = events.ids.hash_data() + id;

  struct Capture {
    std::vector<Effect>* effects;
    std::uint32_t id;
    void row(std::uint64_t, std::uint32_t pool, Minor base, Minor grant, LimitId limit) {
      Effect e;
    e.kind = Effect::Kind::grant;
      e.op = "reserve";
      e.id = id;
      e.pool = pool;
      e.base = base;
      e.amount = grant;
      e.limit = limit;
      effects->push_back(e);
    }
  } capture{&effects, id};
  const std::size_t first = effects.size();
  if (allocator_.allocate(in, 0, capture) != Allocator::kNoError) return false;

  Reservation& r = reservations_[id];
  r.state = ReservationState::held;
  r.made_seq = next_seq_++;
  r.made = clock_;
  r.deadline = clock_ + ttl_;
  r.keys = allocator_.batch_keys(0);
  for (std::size_t k = first; k < effects.size(); ++k) {
    r.rows.push_back({effects[k].pool, effects[k].amount});
    totals_[effects[k].pool].held += effects[k].amount;
  }
  reserved_[id] = 1;
  deadlines_.push({r.deadline, r.made_seq, id});
  return true;
}

bool Lifecycle::apply(const EventStream& events, std::size_t i, std::vector<Effect>& effects) {
  if (reservations_.size() < events.ids.size()) {
    reservations_.resize(events.ids.size());
    reserved_.resize(events.ids.size(), 0);
  }
  advance_clock(events.time[i], effects);
  const EventOp op = events.op[i];
  const std::uint32_t id = events.id[i];
  if (op == EventOp::reserve) {
    if (reserved_[id]) {
      reject(op, id, "duplicate", effects);
      return true;
    }
    return reserve(events, i, effects);
  }
  if (!reserved_[id]) {
    reject(op, id, "unknown", effects);
    return true;
  }
  Reservation& r = reservations_[id];
  if (op == EventOp::refund) {
    if (r.state != ReservationState::confirmed) {
      reject(op, id, "not_confirmed", effects);
      return true;
    }
    settle(id, r, "refund", true, effects);
    r.state = ReservationState::refunded;
    return true;
  }
  if (r.state != ReservationState::held) {
    reject(op, id, "not_held", effects);
    return true;
  }
  switch (op) {
    case EventOp::extend: {
      const Micros deadline = std::min(clock_ + ttl_, r.made + max_);
      if (deadline != r.deadline) {  // an unchanged deadline keeps its queue entry
        r.deadline = deadline;
        deadlines_.push({r.deadline, r.made_seq, id});
      }
      break;
    }
    case EventOp::confirm:
      settle(id, r, "confirm", false, effects);
      r.state = ReservationState::confirmed;
      break;
    case EventOp::cancel:
      settle(id, r, "cancel", true, effects);
      r.state = ReservationState::cancelled;
      break;
    default:
      break;
  }
  return true;
}

}  // namespace matchfund
