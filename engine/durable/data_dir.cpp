#include "engine/durable/data_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "engine/durable/snapshot.hpp"

namespace matchfund::durable {

namespace fs = std::filesystem;

namespace {

// A damaged stretch this close to the end, with no good record after it, is
// the tail of a write that never finished (a crash, a power loss); anything
// else is corruption and is never cut silently.
constexpr std::size_t kMaxTornTail = 1 << 20;

bool read_whole(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot read: " + std::strerror(errno);
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = path + ": read failed";
    return false;
  }
  return true;
}

bool sync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Writes `bytes` to `path` through a synced temporary and a rename.
bool write_durably(const std::string& dir, const std::string& path, const std::string& bytes, std::string& error) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0;
  std::string_view left = bytes;
  while (ok && !left.empty()) {
    const ssize_t n = ::write(fd, left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) left.remove_prefix(static_cast<std::size_t>(n));
  }
  ok = ok && ::fdatasync(fd) == 0;
  if (fd >= 0) ::close(fd);
  ok = ok && std::rename(temp.c_str(), path.c_str()) == 0 && sync_path(dir, true);
  if (!ok) {
    error = path + ": cannot write the snapshot: " + std::strerror(errno);
    ::unlink(temp.c_str());
  }
  return ok;
}

// "snapshot-12" -> 12 for kind "snapshot"; nullopt for anything else.
std::optional<std::uint64_t> generation_of(const std::string& name, std::string_view kind) {
  if (name.size() <= kind.size() + 1 || name.compare(0, kind.size(), kind) != 0 || name[kind.size()] != '-')
    return std::nullopt;
  std::uint64_t g = 0;
  const char* first = name.data() + kind.size() + 1;
  const char* last = name.data() + name.size();
  auto [end, ec] = std::from_chars(first, last, g);
  if (ec != std::errc() || end != last) return std::nullopt;
  return g;
}

// True when no good record starts anywhere in `rest`.
bool nothing_good_after(std::string_view rest) {
  for (std::size_t at = 1; at < rest.size(); ++at)
    if (read_record(rest.substr(at)).status == Framed::Status::ok) return false;
  return true;
}

}  // namespace

Result<Done> replay(LiveEngine& live, const Record& r) {
  auto done = [](const auto& result) -> Result<Done> {
    if (result.ok()) return Done{};
    return {result.code(), result.message()};
  };
  switch (r.op) {
    case RecordOp::reserve:
      return done(live.reserve(Donation{r.id, r.donor, r.project, r.channel, r.amount, r.time}));
    case RecordOp::extend:
      return done(live.extend(r.id, r.time));
    case RecordOp::confirm:
      return done(live.confirm(r.id, r.time));
    case RecordOp::cancel:
      return done(live.cancel(r.id, r.time));
    case RecordOp::refund:
      return done(live.refund(r.id, r.time));
    case RecordOp::advance:
      return done(live.advance(r.time));
    case RecordOp::top_up:
      return done(live.top_up(r.id, r.amount));
    case RecordOp::freeze:
      return done(live.freeze(r.id, r.claw_back));
  }
  return {Code::corrupt, "unknown record"};
}

DataDir::~DataDir() {
  journal_.reset();  // written and synced before the lock goes
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::string DataDir::file(const char* kind, std::uint64_t generation) const {
  return (fs::path(path_) / (std::string(kind) + "-" + std::to_string(generation))).string();
}

std::unique_ptr<DataDir> DataDir::open(const std::string& path, std::uint64_t identity, FsyncPolicy policy,
                                       std::chrono::milliseconds interval, LiveEngine& live, Recovery& recovery,
                                       Code& code, std::string& error) {
  code = Code::corrupt;
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec || !fs::is_directory(path)) {
    code = Code::io_error;
    error = path + ": cannot use as a data directory: " + (ec ? ec.message() : "not a directory");
    return nullptr;
  }
  std::uint64_t generation = 0;
  for (const auto& entry : fs::directory_iterator(path, ec))
    if (auto g = generation_of(entry.path().filename().string(), "snapshot")) generation = std::max(generation, *g);
  std::unique_ptr<DataDir> dir(new DataDir(path, identity, generation, policy, interval));
  // One engine per directory; the kernel drops the lock when the process dies.
  const std::string lock_path = (fs::path(path) / "lock").string();
  dir->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (dir->lock_fd_ < 0 || ::flock(dir->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    code = dir->lock_fd_ < 0 ? Code::io_error : Code::in_use;
    error = path + (dir->lock_fd_ < 0 ? ": cannot create the lock file: " + std::string(std::strerror(errno))
                                      : ": another engine has this data directory open");
    return nullptr;
  }

  if (generation > 0) {
    const std::string snapshot_path = dir->file("snapshot", generation);
    std::string bytes;
    if (!read_whole(snapshot_path, bytes, error)) {
      code = Code::io_error;
      return nullptr;
    }
    if (!LiveSnapshot::decode(bytes, identity, generation, live, error)) {
      error = snapshot_path + ": " + error;
      return nullptr;
    }
    recovery.from_snapshot = true;
  }

  const std::string journal_path = dir->file("journal", generation);
  std::uint64_t keep = 0;  // bytes of the journal to keep; 0: start a new one
  if (fs::exists(journal_path)) {
    std::string bytes;
    if (!read_whole(journal_path, bytes, error)) {
      code = Code::io_error;
      return nullptr;
    }
    JournalHeader header;
    if (bytes.size() < kJournalHeaderBytes) {
      // Created but its header never reached the disk: nothing was acknowledged from it.
      if (!bytes.empty()) recovery.note = journal_path + ": a partial header was cut";
      recovery.torn_bytes = bytes.size();
    } else if (!decode_journal_header(bytes, header)) {
      error = journal_path + ": not a matchfund journal, or its header is damaged";
      return nullptr;
    } else if (header.identity != identity) {
      error = journal_path + ": written under other rules or another projects file";
      return nullptr;
    } else if (header.generation != generation) {
      error = journal_path + ": its header says generation " + std::to_string(header.generation);
      return nullptr;
    } else {
      std::size_t at = kJournalHeaderBytes;
      while (at < bytes.size()) {
        const std::string_view rest = std::string_view(bytes).substr(at);
        Framed f = read_record(rest);
        if (f.status != Framed::Status::ok) {
          // The zeros of the preallocated end of the file are not damage.
          std::string_view damaged = rest;
          while (!damaged.empty() && damaged.back() == 0) damaged.remove_suffix(1);
          if (damaged.empty()) break;
          // A hole (a zeroed frame) is a page the kernel never wrote back before a power
          // loss: what follows was never synced, so never acknowledged under every_call,
          // and within the window the other policies may lose. It is cut and reported.
          const bool hole = rest.size() >= kFrameBytes && rest.substr(0, kFrameBytes) == std::string_view("\0\0\0\0\0\0\0\0", 8);
          if (!hole && (damaged.size() > kMaxTornTail || !nothing_good_after(damaged))) {
            error = journal_path + ": record " + std::to_string(recovery.records_replayed + 1) + " at byte " +
                    std::to_string(at) + " is damaged and good records follow it; refusing to guess";
            return nullptr;
          }
          recovery.torn_bytes = damaged.size();
          recovery.note = journal_path + ": cut " + (hole ? "the unsynced records after a hole" : "a damaged or partial tail") +
                          " of " + std::to_string(damaged.size()) + " bytes at byte " + std::to_string(at);
          break;
        }
        Result<Done> applied = replay(live, f.record);
        if (!applied.ok()) {
          error = journal_path + ": record " + std::to_string(recovery.records_replayed + 1) + " at byte " +
                  std::to_string(at) + " does not apply (" + std::string(code_name(applied.code())) +
                  ": " + applied.message() + ")";
          return nullptr;
        }
        ++recovery.records_replayed;
        at += f.size;
      }
      keep = at;
    }
  }
  dir->journal_ = Journal::open(journal_path, {identity, generation}, keep, policy, interval, error);
  if (!dir->journal_) {
    code = Code::io_error;
    return nullptr;
  }
  dir->records_ = recovery.records_replayed;
  // Files of older generations, and temporaries of an interrupted snapshot, are no longer needed.
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    const std::string name = entry.path().filename().string();
    auto s = generation_of(name, "snapshot");
    auto j = generation_of(name, "journal");
    const bool temp = name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0;
    if (temp || (s && *s < generation) || (j && *j < generation)) fs::remove(entry.path(), ec);
  }
  return dir;
}

bool DataDir::snapshot(const LiveEngine& live, std::string& error) {
  if (!journal_->sync_all()) {
    error = "the journal could not be written: " + journal_->error();
    return false;
  }
  const std::uint64_t next = generation_ + 1;
  if (!write_durably(path_, file("snapshot", next), LiveSnapshot::encode(live, identity_, next), error)) return false;
  auto journal = Journal::open(file("journal", next), {identity_, next}, 0, policy_, interval_, error);
  if (!journal || !sync_path(path_, true)) {
    if (journal) error = path_ + ": cannot sync the directory";
    return false;
  }
  journal_ = std::move(journal);
  std::error_code ec;
  fs::remove(file("journal", generation_), ec);
  fs::remove(file("snapshot", generation_), ec);
  generation_ = next;
  records_ = 0;
  return true;
}

}  // namespace matchfund::durable
