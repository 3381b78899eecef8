#include "engine/donation_rows.hpp"

#include <algorithm>
#include <cstring>

#include "engine/hash.hpp"
#include "engine/limits.hpp"
#include "engine/name_hash.hpp"

namespace matchfund {
namespace {

// Views into the file text stay valid; views into the record buffer are copied.
void keep(std::string_view& field, std::string_view text, RowBatch& batch) {
  if (field.data() >= text.data() && field.data() + field.size() <= text.data() + text.size()) return;
  if (batch.stored == batch.storage.size()) batch.storage.emplace_back();
  std::string& copy = batch.storage[batch.stored++];
  copy.assign(field);
  field = copy;
}

}  // namespace

DonationRowReader::DonationRowReader(CsvReader& reader, std::size_t width, const DonationColumns& columns,
                                     int minor_units, std::string_view text, std::size_t stretch_bytes)
    : reader_(reader),
      helper_reader_(text, reader.label()),
      width_(width),
      columns_(columns),
      minor_units_(minor_units),
      text_(text),
      stretch_bytes_(stretch_bytes),
      true_begin_(reader.offset()),
      true_line_(reader.physical_line()),
      next_begin_(reader.offset()) {
  thread_ = std::thread([this] { run(); });
}

DonationRowReader::~DonationRowReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool DonationRowReader::claim(RowBatch*& batch) {
  if (all_claimed_ || claimed_ - used_ >= kBatches) return false;
  RowBatch& b = batches_[claimed_ % kBatches];
  b.begin = next_begin_;
  b.stop = text_.size();
  if (next_begin_ + stretch_bytes_ < text_.size()) {
    // Cut after the first line feed, looking no further than a record may
    // run (a file of one endless line is refused without reading it all):
    // without one, the record there is too long, and the cut falls anywhere.
    const std::size_t cut_from = next_begin_ + stretch_bytes_;
    const std::size_t look = std::min(text_.size() - cut_from, input_limits().max_line_bytes + 1);
    const void* lf = std::memchr(text_.data() + cut_from, '\n', look);
    b.stop = lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - text_.data()) + 1 : cut_from + look;
  }
  all_claimed_ = b.stop >= text_.size();
  next_begin_ = b.stop;
  ++claimed_;
  batch = &b;
  return true;
}

void DonationRowReader::run() {
  for (;;) {
    RowBatch* batch = nullptr;
    std::size_t slot = 0;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || claim(batch); });
      if (stop_) return;
      slot = (claimed_ - 1) % kBatches;
    }
    fill(*batch, helper_reader_, batch->begin, kGuessedLine);
    {
      std::lock_guard lock(mutex_);
      ready_[slot] = true;
    }
    changed_.notify_all();
  }
}

void DonationRowReader::fill(RowBatch& batch, CsvReader& reader, std::size_t begin, std::size_t line) {
  batch.rows.clear();
  batch.time.clear();
  batch.time_style.clear();
  batch.amount.clear();
  batch.line.clear();
  batch.id_bytes.clear();
  batch.id_ends.clear();
  batch.id_hash.clear();
  batch.stored = 0;
  batch.error = nullptr;
  batch.begin = begin;
  batch.first_line = line;
  batch.last = batch.stop >= text_.size();
  reader.restart(begin, line, batch.stop);
  try {
    while (reader.next()) {
      check_field_count(reader, width_);
      const std::string_view id = read_id(reader, columns_.id);
      const ParsedInstant time = read_time(reader, columns_.time);
      const DonationBody body = check_donation_body(reader, columns_, minor_units_);
      PendingRow& r = batch.rows.emplace_back();
      r.donor = body.donor;
      r.project = body.project;
      r.channel = body.channel;
      keep(r.donor, text_, batch);
      keep(r.project, text_, batch);
      keep(r.channel, text_, batch);
      r.donor_hash = name_hash(r.donor);
      r.project_hash = name_hash(r.project);
      batch.time.push_back(time.utc);
      batch.time_style.push_back(time.style);
      batch.amount.push_back(body.amount);
      batch.line.push_back(static_cast<std::uint32_t>(reader.line()));
      batch.id_bytes.append(id);
      batch.id_ends.push_back(static_cast<std::uint32_t>(batch.id_bytes.size()));
      batch.id_hash.push_back(fnv1a64(id));
    }
  } catch (...) {
    batch.error = std::current_exception();  // raised after the rows before it
    batch.last = true;
  }
  batch.end_offset = reader.offset();
  batch.end_line = reader.physical_line();
}

const RowBatch& DonationRowReader::next() {
  const std::size_t slot = used_ % kBatches;
  {
    std::unique_lock lock(mutex_);
    while (!ready_[slot]) {
      // Rather than wait, read the next stretch nobody has taken yet.
      RowBatch* batch = nullptr;
      if (!claim(batch)) {
        changed_.wait(lock);
        continue;
      }
      const std::size_t taken = (claimed_ - 1) % kBatches;
      lock.unlock();
      fill(*batch, reader_, batch->begin, kGuessedLine);
      lock.lock();
      ready_[taken] = true;
    }
  }
  // In file order now: a stretch read where no record starts, or whose
  // fault may be a wrong guess, is read again from where it truly starts.
  RowBatch& batch = batches_[slot];
  if (batch.begin != true_begin_ || batch.error) fill(batch, reader_, true_begin_, true_line_);
  batch.line_base = static_cast<std::uint32_t>(true_line_ - batch.first_line);
  true_begin_ = batch.end_offset;
  true_line_ = batch.end_line + batch.line_base;
  return batch;
}

bool DonationRowReader::finish_batch() {
  const RowBatch& batch = batches_[used_ % kBatches];
  const bool last = batch.last;
  const std::exception_ptr error = batch.error;
  done_with();
  if (error) std::rethrow_exception(error);
  return last;
}

void DonationRowReader::done_with() {
  {
    std::lock_guard lock(mutex_);
    ready_[used_ % kBatches] = false;
    ++used_;
  }
  changed_.notify_all();
}

}  // namespace matchfund
