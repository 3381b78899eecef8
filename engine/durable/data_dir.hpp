// A data directory: snapshot-<G> (the state after generation G's changes,
// absent for G = 0) and journal-<G> (every change since). Opening it loads
// the newest snapshot and replays its journal; a snapshot starts generation
// G + 1 and removes the files of G once it is safely on disk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "engine/durable/journal.hpp"
#include "engine/engine.hpp"
#include "engine/live_engine.hpp"

namespace matchfund::durable {

// Applies one journaled change again; the refusal if it no longer applies.
Result<Done> replay(LiveEngine& live, const Record& record);

class DataDir {
 public:
  // Recovers `live` (freshly opened on the directory's rules) from `path`,
  // creating the directory if needed. Null with `error` when it is damaged
  // before its last record, written under other rules, or cannot be used.
  // Another engine holding the directory (a lock on DIR/lock) is Code::in_use.
  static std::unique_ptr<DataDir> open(const std::string& path, std::uint64_t identity, FsyncPolicy policy,
                                       std::chrono::milliseconds interval, LiveEngine& live, Recovery& recovery,
                                       Code& code, std::string& error);

  ~DataDir();
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  std::shared_ptr<Journal> journal() const { return journal_; }
  // Counts one more journaled record; true when `every` (> 0) have gone in since the last snapshot.
  bool snapshot_due(std::uint64_t every) { return every > 0 && ++records_ >= every; }
  // Writes a snapshot of `live` and starts the next generation. Call with no change in flight.
  bool snapshot(const LiveEngine& live, std::string& error);

 private:
  DataDir(std::string path, std::uint64_t identity, std::uint64_t generation, FsyncPolicy policy,
          std::chrono::milliseconds interval)
      : path_(std::move(path)), identity_(identity), generation_(generation), policy_(policy), interval_(interval) {}
  std::string file(const char* kind, std::uint64_t generation) const;

  std::string path_;
  std::uint64_t identity_, generation_;
  FsyncPolicy policy_;
  std::chrono::milliseconds interval_;
  std::shared_ptr<Journal> journal_;
  std::uint64_t records_ = 0;
  int lock_fd_ = -1;
};

}  // namespace matchfund::durable
