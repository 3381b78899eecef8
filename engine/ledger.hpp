// Ledger sinks: where the allocator's rows go. The CSV sink writes SPEC 5's
// ledger; the null sink discards rows (benchmarks); the vector sink keeps them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/amount_text.hpp"
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
    std::string_view id = stream_.id(seq);
    if (needs_csv_quotes(id)) {  // rare: written quoted the plain way, and not copied below
      append_csv_field(b, id);
      id = "";  // empty, but not null: memcpy's source must not be
    }
    const std::string& pool_text = pool_text_[pool];
    const std::string& limit_text = limit_text_[limit];
    // One resize to the longest the row can be, the fields written through a
    // pointer, then cut to the length written: no per-field append.
    const std::size_t start = b.size();
    b.resize(start + id.size() + pool_text.size() + 2 * kMaxAmountChars + 1 + limit_text.size());
    char* p = b.data() + start;
    p = copy(p, id);
    p = copy(p, pool_text);
    p = write_amount(p, base, minor_units_);
    *p++ = ',';
    p = write_amount(p, grant, minor_units_);
    p = copy(p, limit_text);
    b.resize(static_cast<std::size_t>(p - b.data()));
    out_.maybe_flush();
  }

 private:
  static char* copy(char* out, std::string_view text) {
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
  }

  AtomicOutput& out_;
  const DonationStream& stream_;
  int minor_units_;
  std::vector<std::string> pool_text_;   // ",pool id," by pool index
  std::vector<std::string> limit_text_;  // ",limit name\n" by LimitId
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
