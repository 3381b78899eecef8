// The CSV ledger sink, and the allocator's kernels for the ledger sinks,
// compiled once (see ledger.hpp).
#include "engine/ledger.hpp"

#include <algorithm>

namespace matchfund {

CsvLedgerSink::CsvLedgerSink(AtomicOutput& out, const DonationStream& stream, const Plan& plan)
    : CsvLedgerSink(out, plan) {
  add_ids(stream.ids);
}

CsvLedgerSink::CsvLedgerSink(AtomicOutput& out, const Plan& plan)
    : out_(out), minor_units_(plan.campaign().minor_units) {
  // The text between the id and the base, and after the grant, is one of a
  // few: written once here, not field by field in every row.
  for (const CompiledPool& pool : plan.pools()) {
    std::string text = ",";
    append_csv_field(text, pool.rules->id);
    pool_text_.push_back(text_of(text + ','));
  }
  // Every limit a row can name: none, the pools' caps, max_total_ratio, pool.
  LimitId last = std::max(plan.max_total_ratio_limit(), plan.pool_limit());
  for (const CompiledPool& pool : plan.pools())
    for (const CompiledCap& cap : pool.caps) last = std::max(last, cap.limit_id);
  for (unsigned limit = 0; limit <= last; ++limit)
    limit_text_.push_back(text_of("," + std::string(plan.limit_name(static_cast<LimitId>(limit))) + "\n"));
  out_.write(kLedgerHeader);
  filling_.reserve(kBlockRows);
}

CsvLedgerSink::~CsvLedgerSink() { stop(); }

CsvLedgerSink::Text CsvLedgerSink::text_of(std::string text) {
  const std::size_t size = text.size();
  text.resize(std::max(size, kTextCopy), '\0');
  return {std::move(text), size};
}

void CsvLedgerSink::add_ids(const StringColumn& ids) {
  if (ids.size() == 0) return;  // a row's column then always holds an id
  id_columns_.push_back({next_seq_, &ids, nullptr});
  next_seq_ += ids.size();
}

void CsvLedgerSink::add_ids(std::unique_ptr<StringColumn> ids) {
  const StringColumn* column = ids.get();
  if (column->size() == 0) return;
  id_columns_.push_back({next_seq_, column, std::move(ids)});
  next_seq_ += column->size();
}

std::unique_ptr<StringColumn> CsvLedgerSink::spare_ids() {
  if (spare_ids_.empty()) return std::make_unique<StringColumn>();
  std::unique_ptr<StringColumn> ids = std::move(spare_ids_.back());
  spare_ids_.pop_back();
  ids->clear();
  return ids;
}

CsvLedgerSink::Columns CsvLedgerSink::columns_from(const std::vector<Row>& rows) {
  Columns columns;
  if (rows.empty()) return columns;
  std::uint64_t lowest = rows.front().seq, highest = lowest;
  for (const Row& r : rows) {
    lowest = std::min(lowest, r.seq);
    highest = std::max(highest, r.seq);
  }
  // Rows come in sequence order: no later row reads a column that ends at or before this block's first.
  while (!id_columns_.empty() && id_columns_.front().first_seq + id_columns_.front().ids->size() <= lowest) {
    if (id_columns_.front().owned) spare_ids_.push_back(std::move(id_columns_.front().owned));
    id_columns_.pop_front();
  }
  for (const IdColumn& column : id_columns_) {
    if (column.first_seq > highest) break;
    columns.push_back(&column);
  }
  return columns;
}

void CsvLedgerSink::hand_over() {
  if (!formatter_.joinable()) {
    in_flight_.reserve(kBlockRows);
    formatter_ = std::thread([this] { format_rows(); });
  }
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !pending_; });
    std::swap(filling_, in_flight_);
    in_flight_columns_ = columns_from(in_flight_);
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
        format(in_flight_, in_flight_columns_);
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
  format(filling_, columns_from(filling_));
  filling_.clear();
}

void CsvLedgerSink::format(const std::vector<Row>& rows, const Columns& columns) {
  if (rows.empty()) return;
  // Ids seldom need quotes: one pass over the bytes of the block's ids tells
  // whether any row must be asked. (Rows come in donation order, so the
  // block's ids are one stretch of the columns; the bounds hold for any order.)
  std::uint64_t lowest = rows.front().seq, highest = lowest;
  for (const Row& r : rows) {
    lowest = std::min(lowest, r.seq);
    highest = std::max(highest, r.seq);
  }
  bool some_need_quotes = false;
  for (const IdColumn* column : columns) {
    const std::uint64_t first = std::max(lowest, column->first_seq) - column->first_seq;
    const std::uint64_t last = std::min(highest - column->first_seq, std::uint64_t{column->ids->size()} - 1);
    some_need_quotes |= any_needs_csv_quotes(
        column->ids->bytes(static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(last)));
  }
  // The column of a row's id: the one before's next, as rows come in order.
  std::size_t at_column = 0;
  auto id_of = [&](std::uint64_t seq) {
    if (seq < columns[at_column]->first_seq) at_column = 0;
    while (seq - columns[at_column]->first_seq >= columns[at_column]->ids->size()) ++at_column;
    return columns[at_column]->ids->name(static_cast<std::uint32_t>(seq - columns[at_column]->first_seq));
  };

  // The rows are written through a pointer into the buffer, grown (and its
  // new bytes cleared) only when the room left might not hold the next row.
  constexpr std::size_t kGrowBy = std::size_t{1} << 16;
  std::string& b = out_.buffer();
  std::size_t at = b.size();
  for (const Row& r : rows) {
    const std::string_view id = id_of(r.seq);
    const Text& pool_text = pool_text_[r.pool];
    const Text& limit_text = limit_text_[r.limit];
    const std::size_t most =
        2 * id.size() + 2 + pool_text.size + 2 * kMaxAmountChars + 1 + limit_text.size + kTextCopy;
    if (b.size() - at < most) b.resize(at + std::max(most, kGrowBy));
    char* p = b.data() + at;
    p = some_need_quotes && needs_csv_quotes(id) ? write_csv_quoted(p, id) : copy(p, id);
    p = copy(p, pool_text);
    p = write_amount(p, r.base, minor_units_);
    *p++ = ',';
    p = write_amount(p, r.grant, minor_units_);
    p = copy(p, limit_text);
    at = static_cast<std::size_t>(p - b.data());
  }
  b.resize(at);
  out_.maybe_flush();
}

template std::size_t Allocator::allocate<CsvLedgerSink>(const DonationInput&, std::uint64_t, CsvLedgerSink&);
template std::size_t Allocator::allocate<NullSink>(const DonationInput&, std::uint64_t, NullSink&);
template std::size_t Allocator::allocate<VectorSink>(const DonationInput&, std::uint64_t, VectorSink&);

}  // namespace matchfund
