#include "engine/engine.hpp"

#include <mutex>
#include <optional>

#include "engine/durable/data_dir.hpp"
#include "engine/durable/journal.hpp"
#include "engine/durable/snapshot.hpp"
#include "engine/error.hpp"
#include "engine/hash.hpp"
#include "engine/ingest.hpp"
#include "engine/live_engine.hpp"

namespace matchfund {

using durable::Record;
using durable::RecordOp;

struct Engine::Impl {
  Options options;
  std::unique_ptr<LiveEngine> live;
  mutable std::mutex mu;  // one writer at a time: allocation is first come, first served
  std::unique_ptr<durable::DataDir> dir;
  Recovery recovery;
  bool failed = false;
  std::string failure;

  // Applies a change under the lock, journals it if it was accepted, and
  // returns once the journal holds it as durably as the policy asks (a sync
  // is waited for outside the lock, so that concurrent callers share one).
  template <class T, class Apply>
  Result<T> change(const Record& record, Apply apply) {
    std::optional<Result<T>> result;
    std::uint64_t end = 0;
    std::shared_ptr<durable::Journal> journal;  // a snapshot may replace it while we wait
    {
      std::lock_guard lock(mu);
      if (failed) return {Code::io_error, failure};
      result.emplace(apply(*live));
      if (!result->ok() || !dir) return std::move(*result);
      journal = dir->journal();
      end = journal->append(record);
      if (end == 0) return fail<T>("the journal could not grow: " + journal->error());
      if (dir->snapshot_due(options.snapshot_every)) {
        std::string error;
        if (!dir->snapshot(*live, error)) return fail<T>(error);
        return std::move(*result);  // the snapshot synced the journal first
      }
    }
    // Under the other policies the record is in the page cache already.
    if (options.fsync == FsyncPolicy::every_call && !journal->wait(end)) {
      std::lock_guard lock(mu);
      return fail<T>("the journal could not be written: " + journal->error());
    }
    return std::move(*result);
  }

  // Called with mu held: refuses every later change until the engine is reopened.
  Result<Done> fail_now(const std::string& why) {
    failed = true;
    failure = why + "; reopen the engine to recover";
    return {Code::io_error, failure};
  }
  template <class T = Done>
  Result<T> fail(const std::string& why) {
    Result<Done> r = fail_now(why);
    return {r.code(), r.message()};
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(Options options) {
  auto impl = std::make_unique<Impl>();
  try {
    auto campaign = std::make_unique<Campaign>(parse_campaign(options.rules_json, options.rules_label));
    auto catalog = std::make_unique<Catalog>();
    if (!options.projects_csv.empty()) read_projects(options.projects_csv, options.projects_label, *catalog);
    impl->live = std::make_unique<LiveEngine>(std::move(campaign), std::move(catalog), LiveEngine::Limits{});
  } catch (const Error& e) {
    return {Code::rules_error, e.what()};
  }
  if (!options.data_dir.empty()) {
    // The rules and projects a data directory was written under are part of its identity.
    const std::uint64_t identity = splitmix64(fnv1a64(options.rules_json) ^ splitmix64(fnv1a64(options.projects_csv)));
    std::string error;
    Code code = Code::ok;
    impl->dir = durable::DataDir::open(options.data_dir, identity, options.fsync, options.fsync_interval,
                                       *impl->live, impl->recovery, code, error);
    if (!impl->dir) return {code, error};
  }
  impl->live->set_limits({options.max_time_lag, options.max_name_bytes});
  impl->live->set_expiry_listener(options.on_expire);
  impl->options = std::move(options);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Result<Allocation> Engine::quote(const Donation& d) {
  std::lock_guard lock(impl_->mu);
  return impl_->live->quote(d);
}

Result<Allocation> Engine::reserve(const Donation& d) {
  Record r{RecordOp::reserve, d.time, d.amount, false, d.id, d.donor, d.project, d.channel};
  return impl_->change<Allocation>(r, [&](LiveEngine& e) { return e.reserve(d); });
}

Result<Micros> Engine::extend(std::string_view id, Micros now) {
  return impl_->change<Micros>({RecordOp::extend, now, 0, false, id},
                               [&](LiveEngine& e) { return e.extend(id, now); });
}

Result<Settlement> Engine::confirm(std::string_view id, Micros now) {
  return impl_->change<Settlement>({RecordOp::confirm, now, 0, false, id},
                                   [&](LiveEngine& e) { return e.confirm(id, now); });
}

Result<Settlement> Engine::cancel(std::string_view id, Micros now) {
  return impl_->change<Settlement>({RecordOp::cancel, now, 0, false, id},
                                   [&](LiveEngine& e) { return e.cancel(id, now); });
}

Result<Settlement> Engine::refund(std::string_view id, Micros now) {
  return impl_->change<Settlement>({RecordOp::refund, now, 0, false, id},
                                   [&](LiveEngine& e) { return e.refund(id, now); });
}

Result<Done> Engine::advance(Micros now) {
  return impl_->change<Done>({RecordOp::advance, now}, [&](LiveEngine& e) { return e.advance(now); });
}

Result<Done> Engine::top_up(std::string_view pool, Minor amount) {
  return impl_->change<Done>({RecordOp::top_up, 0, amount, false, pool},
                             [&](LiveEngine& e) { return e.top_up(pool, amount); });
}

Result<std::vector<Settlement>> Engine::freeze(std::string_view project, bool claw_back) {
  return impl_->change<std::vector<Settlement>>({RecordOp::freeze, 0, 0, claw_back, project},
                                                [&](LiveEngine& e) { return e.freeze(project, claw_back); });
}

Result<Explanation> Engine::explain(std::string_view id) const {
  std::lock_guard lock(impl_->mu);
  return impl_->live->explain(id);
}

std::vector<PoolTotals> Engine::pool_totals() const {
  std::lock_guard lock(impl_->mu);
  return impl_->live->pool_totals();
}

MatchTotals Engine::project_totals(std::string_view project) const {
  std::lock_guard lock(impl_->mu);
  return impl_->live->project_totals(project);
}

MatchTotals Engine::donor_totals(std::string_view donor) const {
  std::lock_guard lock(impl_->mu);
  return impl_->live->donor_totals(donor);
}

Micros Engine::clock() const {
  std::lock_guard lock(impl_->mu);
  return impl_->live->clock();
}

int Engine::minor_units() const { return impl_->live->campaign().minor_units; }

Result<Done> Engine::snapshot() {
  std::lock_guard lock(impl_->mu);
  if (impl_->failed) return {Code::io_error, impl_->failure};
  if (!impl_->dir) return {Code::invalid_argument, "the engine has no data directory"};
  std::string error;
  if (!impl_->dir->snapshot(*impl_->live, error)) return impl_->fail_now(error);
  return Done{};
}

const Recovery& Engine::recovery() const { return impl_->recovery; }

std::string_view code_name(Code code) {
  switch (code) {
    case Code::ok: return "ok";
    case Code::invalid_argument: return "invalid_argument";
    case Code::unknown: return "unknown";
    case Code::duplicate: return "duplicate";
    case Code::not_held: return "not_held";
    case Code::not_confirmed: return "not_confirmed";
    case Code::project_frozen: return "project_frozen";
    case Code::stale_time: return "stale_time";
    case Code::too_large: return "too_large";
    case Code::io_error: return "io_error";
    case Code::corrupt: return "corrupt";
    case Code::in_use: return "in_use";
    case Code::rules_error: return "rules_error";
  }
  return "";
}

std::string_view hold_state_name(HoldState state) {
  switch (state) {
    case HoldState::held: return "held";
    case HoldState::confirmed: return "confirmed";
    case HoldState::cancelled: return "cancelled";
    case HoldState::expired: return "expired";
    case HoldState::refunded: return "refunded";
    case HoldState::clawed_back: return "clawed_back";
  }
  return "";
}

}  // namespace matchfund
