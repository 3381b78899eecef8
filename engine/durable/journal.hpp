// The append-only journal. Records are copied into a shared memory mapping of
// the journal file under the engine's lock, so each is in the kernel's page
// cache (and survives the process being killed) before the call that made it
// returns, without a system call per record. fdatasync makes them survive a
// power loss too: under FsyncPolicy::every_call the first caller to wait leads
// one fdatasync for everything appended so far while the others wait for it
// (group commit); under FsyncPolicy::interval a background thread syncs every
// interval. The file grows in preallocated steps; the zeros after the last
// record mark its end.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
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
  // with `header` when `size` is 0. Returns null and sets `error`.
  static std::unique_ptr<Journal> open(const std::string& path, const JournalHeader& header, std::uint64_t size,
                                       FsyncPolicy policy, std::chrono::milliseconds interval, std::string& error);
  ~Journal();  // syncs unless the policy is off, and cuts the preallocated tail
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Appends a record; returns the position of its end in the file, or 0 when
  // the journal failed (the file could not grow).
  std::uint64_t append(const Record& r);
  // Returns once the record ending at `end` is durable under the policy; false
  // when the journal failed (every later change must then be refused).
  bool wait(std::uint64_t end);
  // Makes everything appended durable, whatever the policy.
  bool sync_all();
  std::string error() const;

 private:
  Journal(int fd, std::uint64_t size, FsyncPolicy policy, std::chrono::milliseconds interval);
  bool reserve(std::uint64_t bytes);  // with m_ held
  // Syncs everything appended so far as the leader. Called and returns with m_ held.
  void lead(std::unique_lock<std::mutex>& lock);
  void sync_periodically();

  int fd_;
  FsyncPolicy policy_;
  std::chrono::milliseconds interval_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  char* map_ = nullptr;
  std::uint64_t capacity_ = 0;  // bytes of the file mapped and allocated
  std::uint64_t appended_, synced_;
  std::string scratch_;
  bool leading_ = false;
  int errno_ = 0;
  bool stop_ = false;
  std::thread syncer_;  // FsyncPolicy::interval only
};

}  // namespace matchfund::durable
