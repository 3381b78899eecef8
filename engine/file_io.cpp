#include "engine/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "engine/error.hpp"
#include "engine/limits.hpp"
#include "engine/signal_cleanup.hpp"

namespace matchfund {
namespace {

std::string shown(const std::string& path) { return path == "-" ? "standard input" : "'" + path + "'"; }

[[noreturn]] void fail_read(const std::string& path, int err) {
  throw Error(ErrorKind::io, "cannot read " + shown(path) + ": " + std::strerror(err));
}

bool write_all(int fd, const char* data, std::size_t size, int& err) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

namespace {

struct ReadLimits {
  std::size_t max_bytes = SIZE_MAX;
  std::size_t max_line_bytes = SIZE_MAX;
};

[[noreturn]] void fail_too_large(const std::string& path, std::size_t limit) {
  throw Error(ErrorKind::rules, path + ": the file is larger than the limit of " + std::to_string(limit) +
                                    " bytes (max_rules_bytes, docs/reliability.md)");
}

// `line_bytes` is the length of the last, unfinished line of `read`.
[[noreturn]] void fail_line_too_long(const std::string& path, const std::string& read, std::size_t line_bytes,
                                     std::size_t limit) {
  const std::size_t line_start = read.size() - line_bytes;
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(read.begin(), read.begin() + line_start, '\n'));
  throw Error(ErrorKind::input, path + ", line " + std::to_string(line) + ": the line is longer than the limit of " +
                                    std::to_string(limit) + " bytes (max_line_bytes, docs/reliability.md)");
}

std::string read_limited(const std::string& path, const ReadLimits& limits) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_read(path, errno);
  struct Closer {
    int fd;
    ~Closer() {
      if (fd != STDIN_FILENO) ::close(fd);
    }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) fail_read(path, EISDIR);
  std::string out;
  if (S_ISREG(st.st_mode)) {
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size > limits.max_bytes) fail_too_large(path, limits.max_bytes);
    out.reserve(size + 1);
  }
  std::size_t line_bytes = 0;  // of the last line read so far, without its line feed
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_read(path, errno);
    }
    if (n == 0) break;
    const auto got = static_cast<std::size_t>(n);
    if (got > limits.max_bytes - out.size()) fail_too_large(path, limits.max_bytes);
    out.append(chunk, got);
    if (limits.max_line_bytes != SIZE_MAX) {
      // Searching back from the end finds a line feed within one row on a
      // normal file, so this costs next to nothing per chunk.
      const void* last = ::memrchr(chunk, '\n', got);
      line_bytes = last ? got - (static_cast<const char*>(last) - chunk) - 1 : line_bytes + got;
      if (line_bytes > limits.max_line_bytes) fail_line_too_long(path, out, line_bytes, limits.max_line_bytes);
    }
  }
  return out;
}

}  // namespace

std::string read_file(const std::string& path) { return read_limited(path, ReadLimits{}); }

std::string read_csv_file(const std::string& path) {
  ReadLimits limits;
  limits.max_line_bytes = input_limits().max_line_bytes;
  return read_limited(path, limits);
}

std::string read_rules_file(const std::string& path) {
  ReadLimits limits;
  limits.max_bytes = input_limits().max_rules_bytes;
  return read_limited(path, limits);
}

AtomicOutput::AtomicOutput(std::string path) : path_(std::move(path)) {
  // A target that is a symbolic link (such as /dev/stdout) or not a regular
  // file (a device such as /dev/null, a FIFO) is written through in place at
  // publish, never renamed over.
  struct stat st {}, lst {};
  if (path_ != "-" && ::stat(path_.c_str(), &st) == 0 &&
      (!S_ISREG(st.st_mode) || (::lstat(path_.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)))) {
    if (S_ISDIR(st.st_mode)) {
      error_ = EISDIR;
      error_what_ = "cannot write";
    }
    in_place_ = true;
  }
  std::string pattern;
  if (path_ == "-" || in_place_) {
    const char* tmp = std::getenv("TMPDIR");
    pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/matchfund-stdout-XXXXXX";
  } else {
    pattern = path_ + ".tmp-XXXXXX";
  }
  std::string writable = pattern;
  fd_ = mkstemp_removed_on_signal(writable.data(), cleanup_slot_);
  if (fd_ < 0) {
    error_ = errno;
    error_what_ = "cannot create a file next to";
  } else {
    temp_path_ = writable;
  }
  buffer_.reserve(kFlushAt + 4096);
}

AtomicOutput::~AtomicOutput() {
  stop_writer();
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
  forget_temporary(cleanup_slot_);
}

void AtomicOutput::write(std::string_view bytes) {
  buffer_.append(bytes);
  maybe_flush();
}

void AtomicOutput::flush() {
  if (!writer_.joinable()) writer_ = std::thread([this] { write_blocks(); });
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !pending_; });
  in_flight_.swap(buffer_);  // buffer_ takes the written block's capacity
  pending_ = true;
  lock.unlock();
  changed_.notify_all();
  buffer_.clear();
}

void AtomicOutput::write_blocks() {
  for (;;) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return pending_ || stopping_; });
    if (!pending_) return;
    lock.unlock();
    if (error_ == 0 && !write_all(fd_, in_flight_.data(), in_flight_.size(), error_)) error_what_ = "cannot write";
    // Start the disk on this block now, so the fsync at finish has little left to wait for.
    if (error_ == 0 && publishes_by_rename())
      ::sync_file_range(fd_, static_cast<off_t>(written_), static_cast<off_t>(in_flight_.size()),
                        SYNC_FILE_RANGE_WRITE);
    written_ += in_flight_.size();
    if (error_ == 0 && publishes_by_rename()) drop_written();
    lock.lock();
    in_flight_.clear();
    pending_ = false;
    lock.unlock();
    changed_.notify_all();
  }
}

// A ledger can be larger than the memory a run needs for everything else. Its
// page cache is new memory, which is slow to come by on some machines (a VM
// whose host takes freed memory back has to fault every page in again: at
// scale 1 this was the writer thread's whole time); dropped behind the
// writing point, the same few MB are reused. A staged output is read back at
// publish, so only outputs published by rename drop theirs.
void AtomicOutput::drop_written() {
  if (written_ - dropped_ < 2 * kKeepCached) return;
  const std::size_t upto = written_ - kKeepCached;
  const auto from = static_cast<off_t>(dropped_), length = static_cast<off_t>(upto - dropped_);
  if (::sync_file_range(fd_, from, length,
                        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0) {
    error_ = errno;
    error_what_ = "cannot write";
    return;
  }
  ::posix_fadvise(fd_, from, length, POSIX_FADV_DONTNEED);  // advice: nothing to do if refused
  dropped_ = upto;
}

void AtomicOutput::stop_writer() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  writer_.join();  // the thread writes the pending block first
}

void AtomicOutput::restart() {
  stop_writer();
  stopping_ = false;
  buffer_.clear();
  written_ = 0;
  dropped_ = 0;
  if (error_ == 0 && (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0)) {
    error_ = errno;
    error_what_ = "cannot write";
  }
}

void AtomicOutput::fail_now(const std::string& what, int err) {
  std::string target = path_ == "-" ? "standard output" : "'" + path_ + "'";
  throw Error(ErrorKind::io, what + " " + target + ": " + std::strerror(err));
}

void AtomicOutput::finish() {
  stop_writer();
  if (error_ == 0 && !write_all(fd_, buffer_.data(), buffer_.size(), error_)) error_what_ = "cannot write";
  buffer_.clear();
  if (error_ != 0) fail_now(error_what_, error_);
  if (path_ == "-" || in_place_) return;
  if (::fsync(fd_) != 0) fail_now("cannot write", errno);
  ::fchmod(fd_, 0644);
  int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) fail_now("cannot write", errno);
}

void AtomicOutput::publish() {
  if (path_ == "-" || in_place_) {
    // Copy the finished temporary to standard output or the special file.
    int out = STDOUT_FILENO;
    if (in_place_) {
      out = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
      if (out < 0) fail_now("cannot write", errno);
    }
    struct Closer {
      int fd;
      ~Closer() {
        if (fd != STDOUT_FILENO) ::close(fd);
      }
    } closer{out};
    if (::lseek(fd_, 0, SEEK_SET) < 0) fail_now("cannot write", errno);
    char chunk[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail_now("cannot write", errno);
      }
      if (n == 0) break;
      int err = 0;
      if (!write_all(out, chunk, static_cast<std::size_t>(n), err)) fail_now("cannot write", err);
    }
    return;  // the destructor removes the temporary
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) fail_now("cannot create", errno);
  committed_ = true;
  forget_temporary(cleanup_slot_);
  cleanup_slot_ = -1;
}

}  // namespace matchfund
