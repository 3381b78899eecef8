#include "engine/live_engine.hpp"

#include <algorithm>

#include "engine/hash.hpp"
#include "engine/text.hpp"
#include "engine/csv_reader.hpp"

namespace matchfund {

namespace {

constexpr const char* kTooLarge = "the match this amount earns does not fit a signed 64-bit count of minor units";

Result<Done> check_name(std::string_view what, std::string_view name, std::size_t max_bytes,
                        bool may_be_empty = false) {
  if (name.empty() && !may_be_empty) return {Code::invalid_argument, std::string(what) + " is empty"};
  if (name.size() > max_bytes)
    return {Code::invalid_argument, std::string(what) + " is longer than " + std::to_string(max_bytes) + " bytes"};
  if (find_invalid_utf8(name) != std::string_view::npos)
    return {Code::invalid_argument, std::string(what) + " is not valid UTF-8"};
  return Done{};
}

}  // namespace

LiveEngine::LiveEngine(std::unique_ptr<Campaign> campaign, std::unique_ptr<Catalog> catalog, Limits limits)
    : campaign_(std::move(campaign)),
      catalog_(std::move(catalog)),
      plan_(*campaign_, *catalog_),
      allocator_(plan_, *catalog_),
      ttl_(campaign_->reservation_ttl_seconds * kMicrosPerSecond),
      max_(campaign_->reservation_max_seconds * kMicrosPerSecond),
      limits_(limits),
      pool_sums_(plan_.pools().size()),
      by_project_(catalog_->projects.size()),
      by_donor_(catalog_->donors.size()),
      frozen_(catalog_->projects.size(), 0) {}

Result<Done> LiveEngine::check_time(Micros t) const {
  const Micros lag = limits_.max_time_lag;
  if (started_ && lag >= 0 && t < clock_ - lag)
    return {Code::stale_time, "the time " + format_instant(t, TimeStyle{}) + " is more than " +
                                  std::to_string(lag / kMicrosPerSecond) + " s behind the engine's clock " +
                                  format_instant(clock_, TimeStyle{})};
  return Done{};
}

Result<Done> LiveEngine::check_donation(const Donation& d) const {
  for (auto [what, name, may_be_empty] : {std::tuple{"the donation id", d.id, false},
                                          std::tuple{"the donor id", d.donor, false},
                                          std::tuple{"the project id", d.project, false},
                                          std::tuple{"the channel", d.channel, true}}) {
    Result<Done> ok = check_name(what, name, limits_.max_name_bytes, may_be_empty);
    if (!ok.ok()) return ok;
  }
  if (d.amount <= 0) return {Code::invalid_argument, "the amount must be greater than 0"};
  if (auto p = frozen_count_ ? catalog_->projects.find(d.project) : std::nullopt; p && frozen_[*p])
    return {Code::project_frozen, "project " + matchfund::quote(d.project) + " is frozen: it gets no further matches"};
  return check_time(d.time);
}

LiveEngine::Indices LiveEngine::intern(const Donation& d) {
  Indices ix;
  ix.project = catalog_->project(d.project);
  ix.donor = catalog_->donors.intern(d.donor).first;
  ix.channel = d.channel.empty() ? 0 : catalog_->channels.intern(d.channel).first;  // 0: cash
  if (plan_.pools().front().project_ok.size() < catalog_->projects.size() ||
      plan_.pools().front().channel_ok.size() < catalog_->channels.size())
    plan_.refresh(*catalog_);
  if (by_project_.size() < catalog_->projects.size()) {
    by_project_.resize(catalog_->projects.size());
    frozen_.resize(catalog_->projects.size(), 0);
  }
  if (by_donor_.size() < catalog_->donors.size()) by_donor_.resize(catalog_->donors.size());
  return ix;
}

bool LiveEngine::allocate(const Donation& d, const Indices& ix, Reservation& r) {
  const std::uint64_t id_hash = fnv1a64(d.id);
  DonationInput in;
  in.size = 1;
  in.time = &d.time;
  in.donor = &ix.donor;
  in.project = &ix.project;
  in.channel = &ix.channel;
  in.amount = &d.amount;
  in.id_hash = &id_hash;

  struct Capture {
    using OneDonationAtATime [[maybe_unused]] = void;  // the allocator's general kernels do
    Reservation* r;
    void headrooms(std::uint32_t, const Minor* h, const LimitId*, std::size_t n) {
      r->headrooms.insert(r->headrooms.end(), h, h + n);
    }
    void row(std::uint64_t, std::uint32_t pool, Minor base, Minor grant, LimitId limit) {
      r->rows.push_back({pool, base, grant, limit});
    }
  } capture{&r};
  allocator_.save_marks(marks_);
  const bool fits = allocator_.allocate(in, 0, capture) == Allocator::kNoError;
  r.keys = allocator_.batch_keys(0);
  r.channel = ix.channel;
  if (!fits) undo(r);
  return fits;
}

void LiveEngine::undo(Reservation& r) {
  for (const Row& row : r.rows) allocator_.release(r.keys, row.pool, row.grant);
  allocator_.restore_marks(marks_);
}

Allocation LiveEngine::allocation_of(const Reservation& r) const {
  Allocation a;
  for (const Row& row : r.rows) {
    a.grants.push_back({plan_.pools()[row.pool].rules->id, row.base, row.grant, plan_.limit_name(row.limit)});
    a.total += row.grant;
  }
  a.deadline = r.deadline;
  return a;
}

Result<Allocation> LiveEngine::quote(const Donation& d) {
  if (Result<Done> ok = check_donation(d); !ok.ok()) return {ok.code(), ok.message()};
  // Allocation runs at the donation's time on the state as it stands; holds
  // that would lapse by then are not released first (a quote changes nothing).
  Reservation r;
  if (!allocate(d, intern(d), r)) return {Code::too_large, kTooLarge};
  Allocation a = allocation_of(r);
  undo(r);
  a.deadline = 0;
  return a;
}

Result<Allocation> LiveEngine::reserve(const Donation& d) {
  if (Result<Done> ok = check_donation(d); !ok.ok()) return {ok.code(), ok.message()};
  if (ids_.find(d.id)) return {Code::duplicate, "donation " + matchfund::quote(d.id) + " was already reserved"};
  const Indices ix = intern(d);
  Reservation r;
  // The clock step comes first (SPEC 6), but a refused reserve must leave no
  // trace. When holds would lapse in that step, a dry run on the state before
  // it finds a base overflow first (lapses only add headroom, so they can only
  // skip more non-stacking pools); otherwise only the clock needs putting back.
  if (!deadlines_.empty() && deadlines_.top().at <= std::max(clock_, d.time)) {
    if (!allocate(d, ix, r)) return {Code::too_large, kTooLarge};
    undo(r);
    r = Reservation{};
    advance_clock(d.time);
    allocate(d, ix, r);
  } else {
    const Micros clock_before = clock_;
    const bool started_before = started_;
    advance_clock(d.time);
    if (!allocate(d, ix, r)) {
      clock_ = clock_before;
      started_ = started_before;
      return {Code::too_large, kTooLarge};
    }
  }
  const std::uint32_t id = ids_.intern(d.id).first;
  r.state = HoldState::held;
  r.made_seq = next_seq_++;
  r.made = clock_;
  r.deadline = clock_ + ttl_;
  Minor total = 0;
  for (const Row& row : r.rows) {
    pool_sums_[row.pool].held += row.grant;
    total += row.grant;
  }
  add_match(r, total, 0);
  deadlines_.push({r.deadline, r.made_seq, id});
  reservations_.push_back(std::move(r));
  return allocation_of(reservations_[id]);
}

void LiveEngine::add_match(const Reservation& r, Minor held, Minor confirmed) {
  for (MatchTotals* t : {&by_project_[r.keys.project], &by_donor_[r.keys.donor]}) {
    t->held += held;
    t->confirmed += confirmed;
  }
}

Result<std::uint32_t> LiveEngine::find(std::string_view id, Micros now, HoldState wanted) const {
  if (Result<Done> ok = check_name("the donation id", id, limits_.max_name_bytes); !ok.ok()) return {ok.code(), ok.message()};
  if (Result<Done> ok = check_time(now); !ok.ok()) return {ok.code(), ok.message()};
  auto index = ids_.find(id);
  if (!index) return {Code::unknown, "no reserve of donation " + matchfund::quote(id) + " was accepted"};
  const Reservation& r = reservations_[*index];
  HoldState state = r.state;
  // A hold whose deadline the clock step of this call reaches has lapsed.
  if (state == HoldState::held && r.deadline <= std::max(clock_, now)) state = HoldState::expired;
  if (state != wanted) {
    if (wanted == HoldState::confirmed)
      return {Code::not_confirmed, "donation " + matchfund::quote(id) + " is " + std::string(hold_state_name(state)) +
                                       ", not confirmed"};
    return {Code::not_held, "donation " + matchfund::quote(id) + " is " + std::string(hold_state_name(state)) + ", not held"};
  }
  return *index;
}

void LiveEngine::advance_clock(Micros t) {
  if (!started_ || t > clock_) clock_ = t;
  started_ = true;
  // Holds whose deadline has come lapse together, released in the order they were made.
  std::vector<Deadline> lapsing;
  while (!deadlines_.empty() && deadlines_.top().at <= clock_) {
    Deadline d = deadlines_.top();
    deadlines_.pop();
    const Reservation& r = reservations_[d.id];
    // Entries left behind by an extend or a settled hold are stale.
    if (r.state == HoldState::held && r.deadline == d.at) lapsing.push_back(d);
  }
  std::sort(lapsing.begin(), lapsing.end(),
            [](const Deadline& a, const Deadline& b) { return a.made_seq < b.made_seq; });
  for (const Deadline& d : lapsing) {
    Settlement s = settle(d.id, HoldState::expired);
    if (on_expire_) on_expire_(s);
  }
}

Settlement LiveEngine::settle(std::uint32_t id, HoldState to) {
  Reservation& r = reservations_[id];
  const bool was_held = r.state == HoldState::held;
  const bool release = to != HoldState::confirmed;
  Settlement s;
  s.id = ids_.name(id);
  for (const Row& row : r.rows) {
    PoolSums& t = pool_sums_[row.pool];
    (was_held ? t.held : t.confirmed) -= row.grant;
    if (release) {
      allocator_.release(r.keys, row.pool, row.grant);
      t.released += row.grant;
    } else {
      t.confirmed += row.grant;
    }
    s.rows.push_back({plan_.pools()[row.pool].rules->id, row.grant});
    s.total += row.grant;
  }
  add_match(r, was_held ? -s.total : 0, was_held ? 0 : -s.total);
  if (!release) add_match(r, 0, s.total);
  r.state = to;
  return s;
}

Result<Done> LiveEngine::advance(Micros now) {
  if (Result<Done> ok = check_time(now); !ok.ok()) return ok;
  advance_clock(now);
  return Done{};
}

Result<Micros> LiveEngine::extend(std::string_view id, Micros now) {
  Result<std::uint32_t> found = find(id, now, HoldState::held);
  if (!found.ok()) return {found.code(), found.message()};
  advance_clock(now);
  Reservation& r = reservations_[*found];
  const Micros deadline = std::min(clock_ + ttl_, r.made + max_);
  if (deadline != r.deadline) {  // an unchanged deadline keeps its queue entry
    r.deadline = deadline;
    deadlines_.push({r.deadline, r.made_seq, *found});
  }
  return r.deadline;
}

Result<Settlement> LiveEngine::confirm(std::string_view id, Micros now) {
  Result<std::uint32_t> found = find(id, now, HoldState::held);
  if (!found.ok()) return {found.code(), found.message()};
  advance_clock(now);
  return settle(*found, HoldState::confirmed);
}

Result<Settlement> LiveEngine::cancel(std::string_view id, Micros now) {
  Result<std::uint32_t> found = find(id, now, HoldState::held);
  if (!found.ok()) return {found.code(), found.message()};
  advance_clock(now);
  return settle(*found, HoldState::cancelled);
}

Result<Settlement> LiveEngine::refund(std::string_view id, Micros now) {
  Result<std::uint32_t> found = find(id, now, HoldState::confirmed);
  if (!found.ok()) return {found.code(), found.message()};
  advance_clock(now);
  return settle(*found, HoldState::refunded);
}

Result<Done> LiveEngine::top_up(std::string_view pool_id, Minor amount) {
  if (amount <= 0) return {Code::invalid_argument, "the top-up amount must be greater than 0"};
  const auto& pools = plan_.pools();
  for (std::uint32_t p = 0; p < pools.size(); ++p) {
    if (pools[p].rules->id != pool_id) continue;
    Wide total = 0;
    for (const CompiledPool& other : pools) total += other.budget;
    if (total + amount > kMinorMax)
      return {Code::too_large, "the budgets would sum to more than a signed 64-bit count of minor units"};
    plan_.top_up(p, amount);
    return Done{};
  }
  return {Code::invalid_argument, "the rules have no pool " + matchfund::quote(pool_id)};
}

Result<std::vector<Settlement>> LiveEngine::freeze(std::string_view project, bool claw_back) {
  if (Result<Done> ok = check_name("the project id", project, limits_.max_name_bytes); !ok.ok()) return {ok.code(), ok.message()};
  const std::uint32_t p = catalog_->project(project);
  if (plan_.pools().front().project_ok.size() < catalog_->projects.size()) plan_.refresh(*catalog_);
  if (by_project_.size() < catalog_->projects.size()) {
    by_project_.resize(catalog_->projects.size());
    frozen_.resize(catalog_->projects.size(), 0);
  }
  frozen_count_ += 1 - frozen_[p];
  frozen_[p] = 1;
  plan_.freeze_project(p);
  std::vector<Settlement> released;
  // A scan of every reservation: freezing is rare, and holds carry no per-project index.
  for (std::uint32_t id = 0; id < reservations_.size(); ++id) {
    const Reservation& r = reservations_[id];
    if (r.keys.project != p) continue;
    if (r.state == HoldState::held) released.push_back(settle(id, HoldState::cancelled));
    else if (r.state == HoldState::confirmed && claw_back) released.push_back(settle(id, HoldState::clawed_back));
  }
  return released;
}

std::size_t LiveEngine::headroom_count(std::uint32_t pool) const {
  return plan_.pools()[pool].caps.size() + (campaign_->max_total_ratio ? 1 : 0) + 1;
}

std::string_view LiveEngine::reason_not_eligible(const Reservation& r, std::uint32_t pool) const {
  const PoolRules& rules = *plan_.pools()[pool].rules;
  const Micros offset = campaign_->utc_offset;
  const Micros time_of_day = local_time_of_day(r.keys.time, offset);
  const std::uint64_t id_hash = 0;  // conditions do not read it
  DonationBatch one;
  one.size = 1;
  one.min_time = one.max_time = r.keys.time;
  one.utc_offset = offset;
  one.time = &r.keys.time;
  one.time_of_day = &time_of_day;
  one.amount = &r.keys.amount;
  one.id_hash = &id_hash;
  for (std::size_t c = 0; c < rules.conditions.size(); ++c) {
    const Condition& condition = *rules.conditions[c];
    std::uint64_t ok = condition.accepts_project(*catalog_, r.keys.project) &&
                       condition.accepts_channel(catalog_->channels.name(r.channel));
    if (ok && condition.varies_per_donation()) condition.filter(one, &ok, 0);
    if (!ok) return rules.condition_keys[c];
  }
  return "not_stacked";
}

Result<Explanation> LiveEngine::explain(std::string_view id) const {
  auto index = ids_.find(id);
  if (!index) return {Code::unknown, "no reserve of donation " + matchfund::quote(id) + " was accepted"};
  const Reservation& r = reservations_[*index];
  Explanation e;
  e.id = std::string(id);
  e.donor = std::string(catalog_->donors.name(r.keys.donor));
  e.project = std::string(catalog_->projects.name(r.keys.project));
  e.channel = std::string(catalog_->channels.name(r.channel));
  e.amount = r.keys.amount;
  e.time = r.keys.time;
  e.state = r.state;
  e.made = r.made;
  e.deadline = r.deadline;
  std::size_t row = 0, h = 0;
  for (std::uint32_t p = 0; p < plan_.pools().size(); ++p) {
    const CompiledPool& pool = plan_.pools()[p];
    PoolExplanation pe;
    pe.pool = pool.rules->id;
    if (row < r.rows.size() && r.rows[row].pool == p) {
      const Row& x = r.rows[row++];
      pe.eligible = true;
      pe.base = x.base;
      pe.amount = x.grant;
      pe.limit = plan_.limit_name(x.limit);
      std::vector<LimitId> names;
      for (const CompiledCap& cap : pool.caps) names.push_back(cap.limit_id);
      if (campaign_->max_total_ratio) names.push_back(plan_.max_total_ratio_limit());
      names.push_back(plan_.pool_limit());
      for (LimitId name : names) {
        const Minor amount = r.headrooms[h++];
        pe.headrooms.push_back({plan_.limit_name(name), amount == kUnbounded ? std::nullopt : std::optional(amount)});
      }
      e.total += x.grant;
    } else {
      pe.reason = reason_not_eligible(r, p);
    }
    e.pools.push_back(std::move(pe));
  }
  return e;
}

std::vector<PoolTotals> LiveEngine::pool_totals() const {
  std::vector<PoolTotals> out(plan_.pools().size());
  for (std::uint32_t p = 0; p < plan_.pools().size(); ++p) {
    const CompiledPool& pool = plan_.pools()[p];
    const PoolSums& s = pool_sums_[p];
    PoolTotals& t = out[pool.rules_index];
    t.pool = pool.rules->id;
    t.budget = pool.budget;
    t.unlocked = started_ ? pool.unlocked(clock_) : pool.budget;
    t.held = s.held;
    t.confirmed = s.confirmed;
    t.released = s.released;
    t.available = std::max<Minor>(0, t.unlocked - s.held - s.confirmed);
  }
  return out;
}

MatchTotals LiveEngine::project_totals(std::string_view project) const {
  auto p = catalog_->projects.find(project);
  return p && *p < by_project_.size() ? by_project_[*p] : MatchTotals{};
}

MatchTotals LiveEngine::donor_totals(std::string_view donor) const {
  auto d = catalog_->donors.find(donor);
  return d && *d < by_donor_.size() ? by_donor_[*d] : MatchTotals{};
}

}  // namespace matchfund
