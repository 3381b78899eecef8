// Ledger sinks: where the allocator's rows go. The CSV sink writes SPEC 5's
// ledger; the null sink discards rows (benchmarks); the vector sink keeps them.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/amount_text.hpp"
#include "engine/csv_writer.hpp"
#include "engine/donation_stream.hpp"
#include "engine/file_io.hpp"
#include "engine/plan.hpp"

namespace matchfund {

inline constexpr std::string_view kLedgerHeader = "donation,pool,base,granted,limit\n";

// Rows are formatted on a second thread, block by block in order, while the
// allocator goes on: formatting takes longer than allocating, and the text
// then goes to the output's own writing thread. Call finish() once the last
// row is handed over, before the output's finish().
//
// A row's donation id is found by its sequence number in the id columns
// given to the sink: the first column holds sequence numbers 0 to its size,
// the next one those after, and so on. A column is given before any row of
// its donations; a column the sink owns is kept for reuse (spare_ids) once
// its rows are formatted, so that a run streamed chunk by chunk keeps only
// the ids not yet written, in memory it has already touched.
class CsvLedgerSink {
 public:
  // The ids are the stream's, for its whole run.
  CsvLedgerSink(AtomicOutput& out, const DonationStream& stream, const Plan& plan);
  // The ids come later, through add_ids.
  CsvLedgerSink(AtomicOutput& out, const Plan& plan);
  // Stops the formatting thread; rows not finished are dropped (the run failed).
  ~CsvLedgerSink();
  CsvLedgerSink(const CsvLedgerSink&) = delete;
  CsvLedgerSink& operator=(const CsvLedgerSink&) = delete;

  void row(std::uint64_t seq, std::uint32_t pool, Minor base, Minor grant, LimitId limit) {
    filling_.push_back({seq, pool, limit, base, grant});
    if (filling_.size() == kBlockRows) hand_over();
  }
  // The ids of the next donations, in sequence order (see the class comment).
  void add_ids(const StringColumn& ids);
  void add_ids(std::unique_ptr<StringColumn> ids);
  // An empty column for the next add_ids: one whose rows are all written, or a new one.
  std::unique_ptr<StringColumn> spare_ids();
  // Formats every row handed over into the output, in order.
  void finish();

 private:
  struct Row {
    std::uint64_t seq;
    std::uint32_t pool;
    LimitId limit;
    Minor base, grant;
  };
  // 16,384 rows of 32 bytes: two blocks stay within L2 beside the allocator's scratch.
  static constexpr std::size_t kBlockRows = std::size_t{1} << 14;

  // An id column and the sequence number of its first id.
  struct IdColumn {
    std::uint64_t first_seq;
    const StringColumn* ids;
    std::unique_ptr<StringColumn> owned;  // null: the caller's
  };
  // The columns a block of rows reads, in sequence order.
  using Columns = std::vector<const IdColumn*>;

  void hand_over();  // gives the full block to the formatting thread, starting it if need be
  void format_rows();  // the formatting thread
  void format(const std::vector<Row>& rows, const Columns& columns);
  // The columns rows from `rows`'s first on read; those before it go to spare_ids_.
  // Only while the formatting thread is idle.
  Columns columns_from(const std::vector<Row>& rows);
  void stop();

  // A pool's or a limit's text, padded so that one fixed-size copy of
  // kTextCopy bytes (a few vector moves, inlined) writes it whole.
  static constexpr std::size_t kTextCopy = 32;
  struct Text {
    std::string padded;  // the text, then zeros up to kTextCopy bytes
    std::size_t size;
  };
  static Text text_of(std::string text);
  // Writes `text` at `out`, which has kTextCopy bytes of room past the text's end.
  static char* copy(char* out, const Text& text) {
    std::memcpy(out, text.padded.data(), text.size <= kTextCopy ? kTextCopy : text.size);
    return out + text.size;
  }
  // Writes an id at `out`: two overlapping fixed-size copies for the usual
  // lengths, memcpy for the others.
  static char* copy(char* out, std::string_view id) {
    const char* s = id.data();
    const std::size_t n = id.size();
    if (n >= 8 && n <= 16) {
      std::uint64_t head, tail;
      std::memcpy(&head, s, 8);
      std::memcpy(&tail, s + n - 8, 8);
      std::memcpy(out, &head, 8);
      std::memcpy(out + n - 8, &tail, 8);
    } else if (n != 0) {
      std::memcpy(out, s, n);
    }
    return out + n;
  }

  AtomicOutput& out_;
  int minor_units_;
  std::deque<IdColumn> id_columns_;  // popped only while the formatting thread is idle
  std::vector<std::unique_ptr<StringColumn>> spare_ids_;  // owned columns popped, for reuse
  std::uint64_t next_seq_ = 0;       // the first sequence number of the next column added
  std::vector<Text> pool_text_;   // ",pool id," by pool index
  std::vector<Text> limit_text_;  // ",limit name\n" by LimitId
  std::vector<Row> filling_;             // rows of the block being filled

  // The formatting thread and the block it formats. error_ belongs to it
  // while it runs, and to the caller once stop() returns.
  std::thread formatter_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Row> in_flight_;
  Columns in_flight_columns_;
  bool pending_ = false;  // in_flight_ holds a block to format
  bool stopping_ = false;
  std::exception_ptr error_;
};

struct NullSink {
  static constexpr bool kDiscardsRows = true;  // the allocator skips handing rows out
  void row(std::uint64_t, std::uint32_t, Minor, Minor, LimitId) {}
};

struct LedgerRow {
  std::uint64_t seq;
  std::uint32_t pool;  // index in plan.pools()
  Minor base;
  Minor grant;
  LimitId limit;
  friend bool operator==(const LedgerRow&, const LedgerRow&) = default;
};

struct VectorSink {
  std::vector<LedgerRow> rows;
  void row(std::uint64_t seq, std::uint32_t pool, Minor base, Minor grant, LimitId limit) {
    rows.push_back({seq, pool, base, grant, limit});
  }
};

// The allocator's kernels for these sinks are compiled once, in
// ledger_sinks.cpp, not in every file that runs an allocation: each sink has
// about thirty kernels, and compiling them everywhere took a large share of
// the build.
extern template std::size_t Allocator::allocate<CsvLedgerSink>(const DonationInput&, std::uint64_t, CsvLedgerSink&);
extern template std::size_t Allocator::allocate<NullSink>(const DonationInput&, std::uint64_t, NullSink&);
extern template std::size_t Allocator::allocate<VectorSink>(const DonationInput&, std::uint64_t, VectorSink&);

}  // namespace matchfund
