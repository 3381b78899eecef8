// The CSV ledger sink, and the allocator's kernels for the ledger sinks,
// compiled once (see ledger.hpp).
#include "engine/ledger.hpp"

#include <algorithm>

namespace matchfund {

CsvLedgerSink::CsvLedgerSink(AtomicOutput& out, const DonationStream& stream, const Plan& plan)
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
  filling_.reserve(kBlockRows);
}

CsvLedgerSink::~CsvLedgerSink() { stop(); }

void CsvLedgerSink::hand_over() {
  if (!formatter_.joinable()) {
    in_flight_.reserve(kBlockRows);
    formatter_ = std::thread([this] { format_rows(); });
  }
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !pending_; });
    std::swap(filling_, in_flight_);
    pending_ = true;
  }
  changed_.notify_all();
  filling_.clear();
}

void CsvLedgerSink::format_rows() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return pending_ || stopping_; });
    if (!pending_) return;
    lock.unlock();
    if (!error_) try {
        format(in_flight_);
      } catch (...) {
        error_ = std::current_exception();  // raised by finish()
      }
    lock.lock();
    pending_ = false;
    changed_.notify_all();
  }
}

void CsvLedgerSink::stop() {
  if (!formatter_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  formatter_.join();  // after the block in flight, if any
}

void CsvLedgerSink::finish() {
  stop();
  if (error_) std::rethrow_exception(error_);
  format(filling_);
  filling_.clear();
}

void CsvLedgerSink::format(const std::vector<Row>& rows) {
  std::string& b = out_.buffer();
  for (const Row& r : rows) {
    std::string_view id = stream_.id(r.seq);
    if (needs_csv_quotes(id)) {  // rare: written quoted the plain way, and not copied below
      append_csv_field(b, id);
      id = "";  // empty, but not null: memcpy's source must not be
    }
    const std::string& pool_text = pool_text_[r.pool];
    const std::string& limit_text = limit_text_[r.limit];
    // One resize to the longest the row can be, the fields written through a
    // pointer, then cut to the length written: no per-field append.
    const std::size_t start = b.size();
    b.resize(start + id.size() + pool_text.size() + 2 * kMaxAmountChars + 1 + limit_text.size());
    char* p = b.data() + start;
    p = copy(p, id);
    p = copy(p, pool_text);
    p = write_amount(p, r.base, minor_units_);
    *p++ = ',';
    p = write_amount(p, r.grant, minor_units_);
    p = copy(p, limit_text);
    b.resize(static_cast<std::size_t>(p - b.data()));
    out_.maybe_flush();
  }
}

template std::size_t Allocator::allocate<CsvLedgerSink>(const DonationInput&, std::uint64_t, CsvLedgerSink&);
template std::size_t Allocator::allocate<NullSink>(const DonationInput&, std::uint64_t, NullSink&);
template std::size_t Allocator::allocate<VectorSink>(const DonationInput&, std::uint64_t, VectorSink&);

}  // namespace matchfund
