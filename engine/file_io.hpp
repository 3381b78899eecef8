// Reading whole input files and writing outputs that appear only on success.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace matchfund {

// The whole file, or standard input for "-". Throws an io Error naming `path`
// (missing, unreadable, a directory, a read that fails midway).
std::string read_file(const std::string& path);

// read_file with the limits of input_limits() (engine/limits.hpp), checked
// while reading so that memory stays bounded:
// - a CSV file: a physical line longer than max_line_bytes is an input Error
//   naming the file and line, raised once that much of the line is read;
// - a rules file: more than max_rules_bytes is a rules Error naming the file.
std::string read_csv_file(const std::string& path);
std::string read_rules_file(const std::string& path);

// An output that exists under its name only after publish(): it is written to a
// temporary file beside the target (or, for "-", a temporary file copied to
// standard output at commit), and the temporary is removed if publish() never
// runs. Write failures (a full disk) surface at finish() as an io Error.
// An existing target that is a symbolic link or not a regular file
// (/dev/stdout, /dev/null, a FIFO) is staged the same way and written through
// in place at publish, never replaced.
// Full blocks are written by a background thread (started at the first one),
// so that filling the next block overlaps writing the last and the disk's
// writeback; a small output is written once, at finish().
class AtomicOutput {
 public:
  explicit AtomicOutput(std::string path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  // Appends to an internal buffer, flushed in large blocks.
  void write(std::string_view bytes);
  std::string& buffer() { return buffer_; }  // append directly, then call maybe_flush()
  void maybe_flush() {
    if (buffer_.size() >= kFlushAt) flush();
  }
  // Drops everything written so far: the output is empty again, as if new.
  // A write error seen before stays (it is raised at finish()).
  void restart();
  // Flushes and closes the temporary; throws an io Error when it could not be
  // created or written. Call finish() on every output of a run before any publish().
  void finish();
  // Moves the finished temporary under the requested name (or copies it to
  // standard output). Throws an io Error on failure.
  void publish();
  const std::string& path() const { return path_; }
  // True when publish() is a rename (a regular file target), false when it
  // copies into standard output or a special file.
  bool publishes_by_rename() const { return path_ != "-" && !in_place_; }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  // How much of a renamed output's written text stays in the page cache
  // behind the writing point; the rest is dropped once it is on disk.
  static constexpr std::size_t kKeepCached = std::size_t{16} << 20;
  // Hands the buffer to the writer thread, once it is done with the block before.
  void flush();
  // The writer thread: writes each block handed to it and starts its writeback.
  void write_blocks();
  // Waits until the text written more than kKeepCached ago is on disk, then
  // drops it from the page cache (in steps of kKeepCached).
  void drop_written();
  // Waits for the block in flight, then ends the writer thread.
  void stop_writer();
  void fail_now(const std::string& what, int err);

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  int cleanup_slot_ = -1;  // the temporary's registration for removal on a signal
  int error_ = 0;  // first errno seen; reported at commit
  std::string error_what_;
  bool committed_ = false;
  bool in_place_ = false;  // the target is a link, device or FIFO: copy into it at publish
  std::string buffer_;

  // The writer thread and the block it writes. error_ and error_what_ belong
  // to it while it runs, and to the caller once stop_writer returns.
  std::thread writer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string in_flight_;
  bool pending_ = false;  // in_flight_ holds a block to write
  bool stopping_ = false;
  std::size_t written_ = 0;  // bytes written so far (the offset of the next block)
  std::size_t dropped_ = 0;  // the page cache holds none of the bytes before this offset
};

}  // namespace matchfund
