// The append-only journal with group commit. Records are queued under the
// engine's lock (so the file order is the order changes were applied) and
// written outside it: the first caller to wait becomes the leader and writes
// (and, under FsyncPolicy::every_call, fdatasyncs) everything queued so far,
// so concurrent callers share one write and one sync.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "engine/durable/record.hpp"
#include "engine/engine.hpp"

namespace matchfund::durable {

// A journal file starts with this header: magic, the identity of the rules it
// was written under, its generation (the snapshot it follows), and a CRC-32C.
struct JournalHeader {
  std::uint64_t identity = 0;
  std::uint64_t generation = 0;
};
inline constexpr std::size_t kJournalHeaderBytes = 8 + 8 + 8 + 4;
std::string encode_journal_header(const JournalHeader& h);
bool decode_journal_header(std::string_view bytes, JournalHeader& h);

class Journal {
 public:
  // Opens `path` for appending at `size` (cutting anything after), creating it
  // with `header` when it does not exist. Returns null and sets `error`.
  static std::unique_ptr<Journal> open(const std::string& path, const JournalHeader& header, std::uint64_t size,
                                       FsyncPolicy policy, std::chrono::milliseconds interval, std::string& error);
  ~Journal();  // writes what is queued, syncs unless the policy is off

  // Queues a record; returns the position its end will have in the file.
  std::uint64_t append(const Record& r);
  // Returns once the record ending at `end` is durable under the policy; false
  // when the journal failed (every later change must then be refused).
  bool wait(std::uint64_t end);
  // Writes everything queued and fdatasyncs, whatever the policy.
  bool sync_all();
  std::string error() const;

 private:
  Journal(int fd, std::uint64_t size, FsyncPolicy policy, std::chrono::milliseconds interval);
  // Writes (and syncs when `sync`) everything queued, as the leader. Called and returns with m_ held.
  void lead(std::unique_lock<std::mutex>& lock, bool sync);
  void sync_periodically();

  int fd_;
  FsyncPolicy policy_;
  std::chrono::milliseconds interval_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::string queued_, writing_;
  std::uint64_t appended_, written_, synced_;
  bool leading_ = false;
  int errno_ = 0;
  bool stop_ = false;
  std::thread syncer_;  // FsyncPolicy::interval only
};

}  // namespace matchfund::durable
