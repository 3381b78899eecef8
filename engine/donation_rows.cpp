#include "engine/donation_rows.hpp"

#include "engine/hash.hpp"
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
                                     int minor_units, std::string_view text)
    : reader_(reader), width_(width), columns_(columns), minor_units_(minor_units), text_(text) {
  for (RowBatch& batch : batches_) batch.rows.resize(kRowsPerBatch);
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

void DonationRowReader::run() {
  for (std::size_t b = 0;; ++b) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || filled_ - used_ < kBatches; });
      if (stop_) return;
    }
    RowBatch& batch = batches_[b % kBatches];
    fill(batch);
    {
      std::lock_guard lock(mutex_);
      ++filled_;
    }
    changed_.notify_all();
    if (batch.last) return;
  }
}

void DonationRowReader::fill(RowBatch& batch) {
  batch.count = 0;
  batch.stored = 0;
  batch.last = false;
  batch.error = nullptr;
  try {
    while (batch.count < kRowsPerBatch) {
      if (!reader_.next()) {
        batch.last = true;
        break;
      }
      check_field_count(reader_, width_);
      PendingRow& r = batch.rows[batch.count];
      r.id = read_id(reader_, columns_.id);
      r.time = read_time(reader_, columns_.time);
      r.body = check_donation_body(reader_, columns_, minor_units_);
      r.line = static_cast<std::uint32_t>(reader_.line());
      keep(r.id, text_, batch);
      keep(r.body.donor, text_, batch);
      keep(r.body.project, text_, batch);
      keep(r.body.channel, text_, batch);
      r.id_hash = fnv1a64(r.id);
      r.donor_hash = name_hash(r.body.donor);
      r.project_hash = name_hash(r.body.project);
      ++batch.count;
    }
  } catch (...) {
    batch.error = std::current_exception();  // raised after the rows before it
    batch.last = true;
  }
  batch.end_offset = reader_.offset();
}

const RowBatch& DonationRowReader::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return filled_ > used_; });
  return batches_[used_ % kBatches];
}

void DonationRowReader::done_with() {
  {
    std::lock_guard lock(mutex_);
    ++used_;
  }
  changed_.notify_all();
}

}  // namespace matchfund
