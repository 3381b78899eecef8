// Donation rows read and checked ahead of the interning (which must go in
// file order on the calling thread): CSV scanning, UTF-8, times, amounts and
// hashing take about half of parsing. The file is read in stretches of about
// kStretchBytes, each a batch of rows: a second thread reads stretches ahead,
// and the calling thread reads one itself whenever the batch it needs next is
// not ready, so that both cores stay busy whichever half is slower.
//
// A stretch is cut after a line feed, which is a record's end unless a quoted
// field holds line breaks, and its first line's number is not known until the
// stretches before it are read. So stretches are read on a guess (a record
// starts there; its line is 1) and checked in file order: when the stretch
// before ended elsewhere, or the guess hit a fault, it is read again where it
// truly starts, with its true line numbers, before it is handed out. Faults
// then name the same line, and come after the same rows, as if the file were
// read from start to end.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/ingest.hpp"

namespace matchfund {

// What the interning thread needs of a row checked but not yet interned:
// its names and their hashes, one cache line (it is read from the other
// core's cache). The rest of the row is in its batch's columns.
struct PendingRow {
  std::string_view donor, project, channel;  // channel empty: cash
  std::uint64_t donor_hash = 0, project_hash = 0;
};

// Rows in file order; after them either more batches, the end, or an error.
// A row's fields that are stored as they are come in columns, so that the
// interning thread appends each column of a batch in one copy.
struct RowBatch {
  std::vector<PendingRow> rows;  // one per row: size() is the row count
  std::vector<Micros> time;
  std::vector<TimeStyle> time_style;
  std::vector<Minor> amount;
  std::vector<std::uint32_t> line;  // plus line_base
  std::string id_bytes;                 // the ids one after another
  std::vector<std::uint32_t> id_ends;   // where each id ends in id_bytes
  std::vector<std::uint64_t> id_hash;   // fnv1a64 of each id
  std::uint32_t line_base = 0;  // a row's line in the file is its line plus this
  // Copies of the rare names that pointed into the reader's record buffer
  // (storage[0, stored) are this batch's). A deque, so that adding one never
  // moves the strings the rows' views point into.
  std::deque<std::string> storage;
  std::size_t stored = 0;
  std::size_t end_offset = 0;  // where the reader stood after the last row
  bool last = false;           // no batch follows this one
  std::exception_ptr error;    // the first bad row after these: raise it once they are interned

  // Where the stretch was read from, and the line that was counted as there.
  std::size_t begin = 0, stop = 0, first_line = 0;
  std::size_t end_line = 0;  // the physical line end_offset is on

  std::size_t count() const { return rows.size(); }
};

class DonationRowReader {
 public:
  static constexpr std::size_t kStretchBytes = std::size_t{128} << 10;

  // Starts reading the records from `reader`'s offset (just after the
  // header). `reader` (which the calling thread then reads with), `text` and
  // the columns must outlive this object. `stretch_bytes`: for tests.
  DonationRowReader(CsvReader& reader, std::size_t width, const DonationColumns& columns, int minor_units,
                    std::string_view text, std::size_t stretch_bytes = kStretchBytes);
  // Stops the reading thread (after the stretch it is reading) and waits for it.
  ~DonationRowReader();
  DonationRowReader(const DonationRowReader&) = delete;
  DonationRowReader& operator=(const DonationRowReader&) = delete;

  // The next batch in file order; valid until done_with() or finish_batch().
  const RowBatch& next();
  // Gives the batch from next() back for refilling.
  void done_with();
  // The same, then raises the batch's error, if it has one; else returns
  // whether it was the last batch.
  bool finish_batch();

 private:
  static constexpr std::size_t kBatches = 8;
  // A guessed stretch's first line: the true one is added to its rows' lines later.
  static constexpr std::size_t kGuessedLine = 1;

  // Takes the next stretch (its batch is `claimed_` - 1), if the ring has room. Under mutex_.
  bool claim(RowBatch*& batch);
  void run();
  // Reads the stretch of `batch` from `begin`, counting its line as `line`.
  void fill(RowBatch& batch, CsvReader& reader, std::size_t begin, std::size_t line);

  CsvReader& reader_;  // the calling thread's
  CsvReader helper_reader_;
  std::size_t width_;
  DonationColumns columns_;
  int minor_units_;
  std::string_view text_;
  std::size_t stretch_bytes_;

  // Read on, in file order: where the next batch handed out truly starts.
  std::size_t true_begin_, true_line_;

  RowBatch batches_[kBatches];  // stretch k in batches_[k % kBatches]
  bool ready_[kBatches] = {};   // the batch is read
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t claimed_ = 0, used_ = 0;  // stretches taken and given back so far
  std::size_t next_begin_;               // where the next stretch to claim starts
  bool all_claimed_ = false;             // the last stretch is taken
  bool stop_ = false;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace matchfund
