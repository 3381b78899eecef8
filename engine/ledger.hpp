// Ledger sinks: where the allocator's rows go. The CSV sink writes SPEC 5's
// ledger; the null sink discards rows (benchmarks); the vector sink keeps them.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/csv_writer.hpp"
#include "engine/donation_stream.hpp"
#include "engine/file_io.hpp"
#include "engine/plan.hpp"

namespace matchfund {

inline constexpr std::string_view kLedgerHeader = "donation,pool,base,granted,limit\n";

class CsvLedgerSink {
 public:
  CsvLedgerSink(AtomicOutput& out, const DonationStream& stream, const Plan& plan)
      : out_(out), stream_(stream), plan_(plan), minor_units_(plan.campaign().minor_units) {
    out_.write(kLedgerHeader);
  }
  void row(std::uint64_t seq, std::uint32_t pool, Minor base, Minor grant, LimitId limit) {
    std::string& b = out_.buffer();
    append_csv_field(b, stream_.id(seq));
    b += ',';
    b += plan_.pools()[pool].rules->id;
    b += ',';
    append_amount(b, base, minor_units_);
    b += ',';
    append_amount(b, grant, minor_units_);
    b += ',';
    b += plan_.limit_name(limit);
    b += '\n';
    out_.maybe_flush();
  }

 private:
  AtomicOutput& out_;
  const DonationStream& stream_;
  const Plan& plan_;
  int minor_units_;
};

struct NullSink {
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

}  // namespace matchfund
