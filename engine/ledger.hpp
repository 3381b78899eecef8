// Ledger sinks: where the allocator's rows go. The CSV sink writes SPEC 5's
// ledger; the null sink discards rows (benchmarks); the vector sink keeps them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
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
      : out_(out), stream_(stream), minor_units_(plan.campaign().minor_units) {
    // The text between the id and the base, and after the grant, is one of a
    // few: written once here, not field by field in every row.
    for (const CompiledPool& pool : plan.pools()) {
      std::string& text = pool_text_.emplace_back(",");
      append_csv_field(text, pool.rules->id);
      text += ',';
    }
    // Every limit a row can name: none, the pools' caps, max_total_ratio, pool.
    LimitId last = std::max(plan.max_total_ratio_limit(), plan.pool_limit());
    for (const CompiledPool& pool : plan.pools())
      for (const CompiledCap& cap : pool.caps) last = std::max(last, cap.limit_id);
    for (unsigned limit = 0; limit <= last; ++limit)
      limit_text_.push_back("," + std::string(plan.limit_name(static_cast<LimitId>(limit))) + "\n");
    out_.write(kLedgerHeader);
  }
  void row(std::uint64_t seq, std::uint32_t pool, Minor base, Minor grant, LimitId limit) {
    std::string& b = out_.buffer();
    append_csv_field(b, stream_.id(seq));
    b += pool_text_[pool];
    append_amount(b, base, minor_units_);
    b += ',';
    append_amount(b, grant, minor_units_);
    b += limit_text_[limit];
    out_.maybe_flush();
  }

 private:
  AtomicOutput& out_;
  const DonationStream& stream_;
  int minor_units_;
  std::vector<std::string> pool_text_;   // ",pool id," by pool index
  std::vector<std::string> limit_text_;  // ",limit name\n" by LimitId
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
