// Donation rows read and checked on a second thread, ahead of the interning
// (which must go in file order on the calling thread): CSV scanning, UTF-8,
// times, amounts and hashing take about half of parsing, so the two halves
// run side by side on two cores.
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

// A row checked but not yet interned, with the hashes its interning needs.
// Kept small (two cache lines): the interning thread reads each row from the
// other core's cache.
struct PendingRow {
  std::string_view id;
  ParsedInstant time;
  DonationBody body;
  std::uint64_t id_hash = 0, donor_hash = 0, project_hash = 0;
  std::uint32_t line = 0;
};

// Rows in file order; after them either more batches, the end, or an error.
struct RowBatch {
  std::vector<PendingRow> rows;  // rows[0, count) are this batch's
  std::size_t count = 0;
  // Copies of the rare fields that pointed into the reader's record buffer
  // (storage[0, stored) are this batch's). A deque, so that adding one never
  // moves the strings the rows' views point into.
  std::deque<std::string> storage;
  std::size_t stored = 0;
  std::size_t end_offset = 0;  // where the reader stood after the last row
  bool last = false;           // no batch follows this one
  std::exception_ptr error;    // the first bad row after these: raise it once they are interned
};

class DonationRowReader {
 public:
  // Starts reading the records after the header. `reader`, `text` and the
  // columns must outlive this object.
  DonationRowReader(CsvReader& reader, std::size_t width, const DonationColumns& columns, int minor_units,
                    std::string_view text);
  // Stops the reading thread (after the batch it is filling) and waits for it.
  ~DonationRowReader();
  DonationRowReader(const DonationRowReader&) = delete;
  DonationRowReader& operator=(const DonationRowReader&) = delete;

  // The next batch in file order, once it is full; valid until done_with().
  const RowBatch& next();
  // Gives the batch from next() back for refilling.
  void done_with();

 private:
  static constexpr std::size_t kBatches = 4;
  static constexpr std::size_t kRowsPerBatch = 2048;

  void run();
  void fill(RowBatch& batch);

  CsvReader& reader_;
  std::size_t width_;
  DonationColumns columns_;
  int minor_units_;
  std::string_view text_;

  RowBatch batches_[kBatches];
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t filled_ = 0, used_ = 0;  // batches filled and given back so far
  bool stop_ = false;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace matchfund
