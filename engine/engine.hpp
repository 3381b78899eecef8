// matchfund's embedding API: the live reservation lifecycle of SPEC 6 for a
// platform's donation path. Thread-safe; durable when given a data directory
// (every change is journaled before the call returns; see docs/embedding.md).
//
//   auto engine = matchfund::Engine::open(options);   // Result<std::unique_ptr<Engine>>
//   auto held = (*engine)->reserve({"d-1", "donor-7", "school-42", "", 10000, now});
//   if (held.ok()) (*engine)->confirm("d-1", later);
//
// Every call returns a Result: a value, or a Code with a message. A refused
// call changes nothing, not even the clock.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine_types.hpp"

namespace matchfund {

// When a journaled change counts as durable.
enum class FsyncPolicy : std::uint8_t {
  every_call,  // fdatasync before the call returns; concurrent calls share one (group commit)
  interval,    // written to the OS before the call returns (survives a process crash);
               // fdatasync every Options::fsync_interval (a power loss can lose that window)
  off,         // written to the OS before the call returns; never fdatasync
};

struct Options {
  std::string rules_json;                 // the rules file's text (SPEC 3 and 6)
  std::string rules_label = "rules.json";  // names it in errors
  std::string projects_csv;               // optional: the projects file's text (SPEC 2)
  std::string projects_label = "projects.csv";
  std::string data_dir;                   // empty: in memory only, nothing survives the process
  FsyncPolicy fsync = FsyncPolicy::every_call;
  std::chrono::milliseconds fsync_interval{5};
  std::uint64_t snapshot_every = 1'000'000;  // journal records between snapshots; 0: only on request
  // How far behind the clock a call's time may be; negative: no bound (offline replay).
  Micros max_time_lag = 3600 * kMicrosPerSecond;
  std::size_t max_name_bytes = 1024;  // donation, donor, project, channel and pool ids
  // Told of every hold that lapses, with the "expire" rows, inside the call
  // that moved the clock and under the engine's lock: do not call back into it.
  std::function<void(const Settlement&)> on_expire;
};

// What opening a data directory found.
struct Recovery {
  bool from_snapshot = false;
  std::uint64_t records_replayed = 0;
  std::uint64_t torn_bytes = 0;  // a damaged or partial tail, reported and cut off
  std::string note;              // what was cut, if anything
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> open(Options options);
  ~Engine();  // flushes the journal
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // What the donation would get now, with each pool's binding limit; changes nothing.
  Result<Allocation> quote(const Donation& d);
  // Holds the grants until confirm, cancel, or the deadline (SPEC 6).
  Result<Allocation> reserve(const Donation& d);
  Result<Micros> extend(std::string_view id, Micros now);  // the new deadline
  Result<Settlement> confirm(std::string_view id, Micros now);
  Result<Settlement> cancel(std::string_view id, Micros now);
  Result<Settlement> refund(std::string_view id, Micros now);
  // Moves the clock forward; holds due by `now` lapse (reported to on_expire).
  Result<Done> advance(Micros now);
  // A sponsor adds money to a pool, available at once.
  Result<Done> top_up(std::string_view pool, Minor amount);
  // The project gets no further matches; its holds are released ("cancelled"),
  // and its confirmed matches too ("clawed_back") when `claw_back`.
  Result<std::vector<Settlement>> freeze(std::string_view project, bool claw_back);

  // For every pool, in try order: eligible or why not, base, grant, binding
  // limit, and every limit's headroom when the donation was reserved.
  Result<Explanation> explain(std::string_view id) const;
  std::vector<PoolTotals> pool_totals() const;  // in rules order
  MatchTotals project_totals(std::string_view project) const;
  MatchTotals donor_totals(std::string_view donor) const;
  Micros clock() const;
  int minor_units() const;

  // Writes a snapshot now and starts a fresh journal (data directory only).
  Result<Done> snapshot();
  const Recovery& recovery() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace matchfund
