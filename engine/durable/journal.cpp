#include "engine/durable/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/durable/bytes.hpp"

namespace matchfund::durable {

namespace {

constexpr char kMagic[8] = {'M', 'F', 'J', 'O', 'U', 'R', 'N', '1'};

int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

}  // namespace

std::string encode_journal_header(const JournalHeader& h) {
  std::string out(kMagic, sizeof kMagic);
  ByteWriter w(out);
  w.u64(h.identity);
  w.u64(h.generation);
  w.u32(crc32c(out));
  return out;
}

bool decode_journal_header(std::string_view bytes, JournalHeader& h) {
  if (bytes.size() < kJournalHeaderBytes || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return false;
  ByteReader in(bytes.substr(sizeof kMagic, kJournalHeaderBytes - sizeof kMagic));
  h.identity = in.u64();
  h.generation = in.u64();
  return in.u32() == crc32c(bytes.substr(0, kJournalHeaderBytes - 4));
}

std::unique_ptr<Journal> Journal::open(const std::string& path, const JournalHeader& header, std::uint64_t size,
                                       FsyncPolicy policy, std::chrono::milliseconds interval, std::string& error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = path + ": cannot open the journal: " + std::strerror(errno);
    return nullptr;
  }
  int e = 0;
  if (size == 0) {
    // A new journal: the header goes in and down before any record.
    if (::ftruncate(fd, 0) != 0) e = errno;
    if (!e) e = write_all(fd, encode_journal_header(header));
    if (!e && ::fdatasync(fd) != 0) e = errno;
    size = kJournalHeaderBytes;
  } else if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    e = errno;
  }
  if (!e && ::lseek(fd, static_cast<off_t>(size), SEEK_SET) < 0) e = errno;
  if (e) {
    error = path + ": cannot prepare the journal: " + std::strerror(e);
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<Journal>(new Journal(fd, size, policy, interval));
}

Journal::Journal(int fd, std::uint64_t size, FsyncPolicy policy, std::chrono::milliseconds interval)
    : fd_(fd), policy_(policy), interval_(interval), appended_(size), written_(size), synced_(size) {
  if (policy_ == FsyncPolicy::interval) syncer_ = std::thread([this] { sync_periodically(); });
}

Journal::~Journal() {
  {
    std::lock_guard lock(m_);
    stop_ = true;
  }
  cv_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  if (policy_ == FsyncPolicy::off) {
    std::unique_lock lock(m_);
    while (leading_) cv_.wait(lock);
    if (!errno_ && !queued_.empty()) lead(lock, false);
  } else {
    sync_all();
  }
  ::close(fd_);
}

std::uint64_t Journal::append(const Record& r) {
  std::lock_guard lock(m_);
  const std::size_t before = queued_.size();
  append_record(queued_, r);
  appended_ += queued_.size() - before;
  return appended_;
}

void Journal::lead(std::unique_lock<std::mutex>& lock, bool sync) {
  leading_ = true;
  writing_.swap(queued_);
  const std::uint64_t target = appended_;
  lock.unlock();
  int e = write_all(fd_, writing_);
  if (!e && sync && ::fdatasync(fd_) != 0) e = errno;
  writing_.clear();
  lock.lock();
  leading_ = false;
  if (e) {
    errno_ = e;
  } else {
    written_ = target;
    if (sync) synced_ = target;
  }
  cv_.notify_all();
}

bool Journal::wait(std::uint64_t end) {
  const bool sync = policy_ == FsyncPolicy::every_call;
  std::unique_lock lock(m_);
  for (;;) {
    if (errno_) return false;
    if ((sync ? synced_ : written_) >= end) return true;
    if (leading_) {
      cv_.wait(lock);
      continue;
    }
    lead(lock, sync);
  }
}

bool Journal::sync_all() {
  std::unique_lock lock(m_);
  for (;;) {
    if (errno_) return false;
    if (synced_ >= appended_) return true;
    if (leading_) {
      cv_.wait(lock);
      continue;
    }
    lead(lock, true);
  }
}

void Journal::sync_periodically() {
  std::unique_lock lock(m_);
  while (!stop_) {
    cv_.wait_for(lock, interval_, [this] { return stop_; });
    if (stop_ || errno_ || synced_ >= written_) continue;
    const std::uint64_t target = written_;
    lock.unlock();
    const int e = ::fdatasync(fd_) != 0 ? errno : 0;
    lock.lock();
    if (e) errno_ = e;
    else synced_ = std::max(synced_, target);
    cv_.notify_all();
  }
}

std::string Journal::error() const {
  std::lock_guard lock(m_);
  return errno_ ? std::strerror(errno_) : "";
}

}  // namespace matchfund::durable
