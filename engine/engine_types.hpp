// The values the embedding API (engine/engine.hpp) takes and returns. Money is
// an integer count of minor units of the campaign currency; times are UTC
// microseconds since 1970 (parse_instant in engine/time.hpp reads RFC 3339).
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/money.hpp"
#include "engine/time.hpp"

namespace matchfund {

// Why a call was refused. A refused call changes no state at all: no hold,
// no counter, not even the clock.
enum class Code : std::uint8_t {
  ok = 0,
  invalid_argument,  // an empty or over-long id or name, an amount <= 0, a pool id the rules do not have
  unknown,           // no reserve of this donation id was accepted
  duplicate,         // reserve of an id that was already reserved (in any state)
  not_held,          // extend, confirm or cancel of a reservation that is no longer held
  not_confirmed,     // refund of a reservation that is not confirmed
  project_frozen,    // reserve or quote for a project frozen by freeze()
  stale_time,        // a time further behind the engine's clock than Options::max_time_lag
  too_large,         // a match, a total or a budget that does not fit int64 minor units
  io_error,          // the journal could not be written: the change may or may not have been
                     // applied (reopen, then explain() tells); the engine refuses all changes
                     // until reopened. At open: the data directory cannot be created or read.
  corrupt,           // open: a journal or snapshot damaged before its last record, or from other rules
  in_use,            // open: another engine (in this or another process) has the data directory open
  rules_error,       // open: the rules or projects file is invalid
};
std::string_view code_name(Code code);

// A value or the reason there is none.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::ok; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The value; only when ok() (asserted in debug builds).
  const T& value() const& { return checked(); }
  T& value() & { return checked(); }
  T value() && { return std::move(checked()); }  // by value: `for (auto& x : call().value())` stays valid
  const T* operator->() const { return &checked(); }
  const T& operator*() const { return checked(); }

 private:
  const T& checked() const {
    assert(value_.has_value() && "Result::value() of a refused call");
    return *value_;
  }
  T& checked() {
    assert(value_.has_value() && "Result::value() of a refused call");
    return *value_;
  }

  Code code_ = Code::ok;
  std::string message_;
  std::optional<T> value_;
};

struct Done {};  // the value of a call that returns nothing but success

// A donation as the platform sees it at checkout.
struct Donation {
  std::string_view id;       // unique per donation
  std::string_view donor;
  std::string_view project;
  std::string_view channel;  // empty means "cash" (SPEC 2)
  Minor amount = 0;          // > 0
  Micros time = 0;           // when the donor gave; allocation uses it (windows, releases, days)
};

enum class HoldState : std::uint8_t { held, confirmed, cancelled, expired, refunded, clawed_back };
std::string_view hold_state_name(HoldState state);

// What one pool grants a donation. Names point into the engine and live as long as it.
struct PoolGrant {
  std::string_view pool;
  Minor base = 0;             // what the pool's rate gives before any limit
  Minor amount = 0;           // the grant
  std::string_view limit;     // the binding limit ("none" when the grant equals the base)
};

struct Allocation {
  std::vector<PoolGrant> grants;  // eligible pools in try order
  Minor total = 0;
  Micros deadline = 0;            // reserve only: when the hold lapses unless extended or confirmed
};

// A reservation's grants released or made final, in the order it was granted.
struct PoolAmount {
  std::string_view pool;
  Minor amount = 0;
};
struct Settlement {
  std::string id;  // the donation id
  std::vector<PoolAmount> rows;
  Minor total = 0;
};

// One limit's headroom when the donation was allocated; nullopt: unbounded.
struct Headroom {
  std::string_view limit;
  std::optional<Minor> amount;
};
struct PoolExplanation {
  std::string_view pool;
  bool eligible = false;
  // Why not: a rules key ("projects", "channels", "windows", "daily_hours",
  // "min_donation", ...), or "not_stacked" (the pool does not stack and an
  // earlier pool granted). Empty when eligible.
  std::string_view reason;
  Minor base = 0, amount = 0;
  std::string_view limit;
  std::vector<Headroom> headrooms;  // caps in limit order, then max_total_ratio, then the pool
};
struct Explanation {
  std::string id, donor, project, channel;
  Minor amount = 0;
  Micros time = 0;
  HoldState state = HoldState::held;
  Micros made = 0, deadline = 0;
  std::vector<PoolExplanation> pools;  // every pool, in try order
  Minor total = 0;
};

struct PoolTotals {
  std::string_view pool;
  Minor budget = 0;       // with top-ups
  Minor unlocked = 0;     // at the engine's clock (releases)
  Minor held = 0, confirmed = 0, released = 0;
  Minor available = 0;    // unlocked minus held and confirmed, never below 0
};
struct MatchTotals {
  Minor held = 0, confirmed = 0;  // matching held for and confirmed to a project or donor
};

}  // namespace matchfund
