#include "engine/durable/journal.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/durable/bytes.hpp"

namespace matchfund::durable {

namespace {

constexpr char kMagic[8] = {'M', 'F', 'J', 'O', 'U', 'R', 'N', '1'};
constexpr std::uint64_t kFirstStep = 1 << 20;
constexpr std::uint64_t kLargestStep = 64 << 20;

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
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = path + ": cannot open the journal: " + std::strerror(errno);
    return nullptr;
  }
  int e = 0;
  if (size == 0) {
    // A new journal: the header goes in and down before any record.
    const std::string head = encode_journal_header(header);
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, head.data(), head.size(), 0) != static_cast<ssize_t>(head.size()) ||
        ::fdatasync(fd) != 0)
      e = errno ? errno : EIO;
    size = head.size();
  } else if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    e = errno;
  }
  std::unique_ptr<Journal> journal;
  if (!e) {
    journal.reset(new Journal(fd, size, policy, interval));
    std::lock_guard lock(journal->m_);
    if (!journal->reserve(kFirstStep)) e = journal->errno_;
  }
  if (e) {
    error = path + ": cannot prepare the journal: " + std::strerror(e);
    if (!journal) ::close(fd);
    return nullptr;
  }
  return journal;
}

Journal::Journal(int fd, std::uint64_t size, FsyncPolicy policy, std::chrono::milliseconds interval)
    : fd_(fd), policy_(policy), interval_(interval), appended_(size), synced_(size) {
  if (policy_ == FsyncPolicy::interval) syncer_ = std::thread([this] { sync_periodically(); });
}

Journal::~Journal() {
  {
    std::lock_guard lock(m_);
    stop_ = true;
  }
  cv_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  if (policy_ != FsyncPolicy::off) sync_all();
  if (map_) ::munmap(map_, capacity_);
  // The preallocated zeros go; a crash before this leaves them, and reading stops at them.
  if (!errno_ && ::ftruncate(fd_, static_cast<off_t>(appended_)) == 0 && policy_ != FsyncPolicy::off) ::fdatasync(fd_);
  ::close(fd_);
}

bool Journal::reserve(std::uint64_t bytes) {
  if (appended_ + bytes <= capacity_) return true;
  const std::uint64_t step = std::clamp<std::uint64_t>(capacity_, kFirstStep, kLargestStep);
  const std::uint64_t capacity = std::max(appended_ + bytes, capacity_ + step);
  // Allocated blocks, so that a full disk is an error here and never a SIGBUS on a store.
  const int e = ::posix_fallocate(fd_, 0, static_cast<off_t>(capacity));
  if (e != 0) {
    errno_ = e;
    return false;
  }
  void* map = map_ ? ::mremap(map_, capacity_, capacity, MREMAP_MAYMOVE)
                   : ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (map == MAP_FAILED) {
    errno_ = errno;
    return false;
  }
  map_ = static_cast<char*>(map);
  capacity_ = capacity;
  return true;
}

std::uint64_t Journal::append(const Record& r) {
  std::lock_guard lock(m_);
  if (errno_) return 0;
  scratch_.clear();
  append_record(scratch_, r);
  if (!reserve(scratch_.size())) return 0;
  std::memcpy(map_ + appended_, scratch_.data(), scratch_.size());
  appended_ += scratch_.size();
  return appended_;
}

void Journal::lead(std::unique_lock<std::mutex>& lock) {
  leading_ = true;
  const std::uint64_t target = appended_;
  lock.unlock();
  const int e = ::fdatasync(fd_) != 0 ? errno : 0;  // also writes back the mapping's dirty pages (Linux)
  lock.lock();
  leading_ = false;
  if (e) errno_ = e;
  else synced_ = std::max(synced_, target);
  cv_.notify_all();
}

bool Journal::wait(std::uint64_t end) {
  std::unique_lock lock(m_);
  if (errno_ || end == 0) return false;
  if (policy_ != FsyncPolicy::every_call) return true;  // in the page cache since append
  for (;;) {
    if (errno_) return false;
    if (synced_ >= end) return true;
    if (leading_) cv_.wait(lock);
    else lead(lock);
  }
}

bool Journal::sync_all() {
  std::unique_lock lock(m_);
  for (;;) {
    if (errno_) return false;
    if (synced_ >= appended_) return true;
    if (leading_) cv_.wait(lock);
    else lead(lock);
  }
}

void Journal::sync_periodically() {
  std::unique_lock lock(m_);
  while (!stop_) {
    cv_.wait_for(lock, interval_, [this] { return stop_; });
    if (!stop_ && !errno_ && !leading_ && synced_ < appended_) lead(lock);
  }
}

std::string Journal::error() const {
  std::lock_guard lock(m_);
  return errno_ ? std::strerror(errno_) : "";
}

}  // namespace matchfund::durable
