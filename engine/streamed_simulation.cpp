#include "engine/streamed_simulation.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/donation_rows.hpp"
#include "engine/ingest.hpp"
#include "engine/intern_rows.hpp"
#include "engine/ledger.hpp"
#include "engine/plan.hpp"
#include "engine/repeated_hashes.hpp"
#include "engine/simulation.hpp"

namespace matchfund {

namespace {

// The rows read since the last chunk was allocated, as the allocator reads them.
struct Chunk {
  std::vector<Micros> time;
  std::vector<TimeStyle> time_style;  // for the summary's exhausted_at
  std::vector<std::uint32_t> donor, project, channel;
  std::vector<Minor> amount;
  std::unique_ptr<StringColumn> ids = std::make_unique<StringColumn>();

  std::size_t size() const { return amount.size(); }
  // Empties the chunk. Its next ids go into a column the ledger sink is done
  // with, rather than new memory for every chunk.
  void clear(CsvLedgerSink& sink) {
    time.clear();
    time_style.clear();
    donor.clear();
    project.clear();
    channel.clear();
    amount.clear();
    ids = sink.spare_ids();
  }
};

// The streamed run; nullopt when the file needs the whole-stream run (see the header).
std::optional<std::string> stream_donations(std::string_view text, const std::string& label, const Campaign& campaign,
                                            Catalog& catalog, AtomicOutput& ledger,
                                            const std::function<void(std::size_t offset)>& consumed,
                                            const StreamShape& shape) {
  CsvReader reader(text, label);
  const CsvHeader header = read_donations_header(reader);
  const DonationColumns columns = DonationColumns::from(reader, header);
  Plan plan(campaign, catalog);
  Allocator allocator(plan, catalog);
  CsvLedgerSink sink(ledger, plan);

  StreamTotals totals;
  totals.exhausted_at.resize(plan.pools().size());
  std::optional<RepeatedHashes> id_hashes;  // every row's, for the duplicates check; made with the first rows
  std::size_t projects_known = catalog.projects.size(), channels_known = catalog.channels.size();
  Chunk chunk;

  // Allocates the chunk; false when a base does not fit int64.
  auto allocate_chunk = [&] {
    const std::size_t n = chunk.size();
    if (n == 0) return true;
    if (catalog.projects.size() != projects_known || catalog.channels.size() != channels_known) {
      plan.refresh(catalog);  // new projects and channels are eligible as their names say
      projects_known = catalog.projects.size();
      channels_known = catalog.channels.size();
    }
    DonationInput in;
    in.size = n;
    in.time = chunk.time.data();
    in.donor = chunk.donor.data();
    in.project = chunk.project.data();
    in.channel = chunk.channel.data();
    in.amount = chunk.amount.data();
    in.id_hash = chunk.ids->hash_data();
    const std::uint64_t first_seq = totals.donations;
    sink.add_ids(std::move(chunk.ids));  // the sink keeps them until their rows are written
    if (allocator.allocate(in, first_seq, sink) != Allocator::kNoError) return false;
    for (std::size_t p = 0; p < plan.pools().size(); ++p) {
      const PoolState& state = allocator.pool_states()[p];
      if (state.exhausted && !totals.exhausted_at[p]) {
        const std::size_t k = state.exhausted_by - first_seq;
        totals.exhausted_at[p] = ParsedInstant{chunk.time[k], chunk.time_style[k]};
      }
    }
    totals.donations += n;
    chunk.clear(sink);
    return true;
  };

  DonationRowReader rows(reader, header.width(), columns, campaign.minor_units, text, shape.stretch_bytes);
  bool reserved = false;
  bool too_much_donated = false;
  ConsumedText released(consumed);
  for (;;) {
    const RowBatch& batch = rows.next();
    const std::size_t count = batch.count();
    if (count > 0 && !reserved) {  // not before: a file refused at its first record allocates nothing
      reserve_donors(catalog, text.size());
      allocator.expect_donors(static_cast<std::uint32_t>(
          std::min<std::size_t>(expected_rows(text.size()), std::numeric_limits<std::uint32_t>::max())));
      id_hashes.emplace(expected_rows(text.size()));
      for (auto* v : {&chunk.donor, &chunk.project, &chunk.channel}) v->reserve(shape.chunk_rows + count);
      reserved = true;
    }
    const std::size_t first = chunk.size();
    chunk.ids->append(batch.id_bytes, batch.id_ends.data(), batch.id_hash.data(), count);
    if (count > 0) id_hashes->add(batch.id_hash.data(), count);
    chunk.time.insert(chunk.time.end(), batch.time.begin(), batch.time.end());
    chunk.time_style.insert(chunk.time_style.end(), batch.time_style.begin(), batch.time_style.end());
    chunk.amount.insert(chunk.amount.end(), batch.amount.begin(), batch.amount.end());
    for (auto* v : {&chunk.donor, &chunk.project, &chunk.channel}) v->resize(first + count);
    intern_rows(batch, reader, catalog, chunk.donor.data() + first, chunk.project.data() + first,
                chunk.channel.data() + first, [&](std::size_t k, std::uint32_t) {
                  const Minor amount = chunk.amount[first + k];
                  // Past int64 with every row counted; without duplicates it may fit: the whole-stream run tells.
                  if (amount > kMinorMax - totals.donated)
                    too_much_donated = true;
                  else
                    totals.donated += amount;
                });
    if (too_much_donated) return std::nullopt;
    released.reached(batch.end_offset);
    const bool last = rows.finish_batch();
    if ((chunk.size() >= shape.chunk_rows || last) && !allocate_chunk()) return std::nullopt;
    if (last) break;
  }
  // Equal hashes: a duplicate id, or (seldom) two ids that share a hash. Both go the whole-stream way.
  if (id_hashes && id_hashes->any()) return std::nullopt;
  sink.finish();
  return summary_json(plan, totals, allocator);
}

}  // namespace

std::string simulate_whole_stream(std::string_view text, const std::string& label, const Campaign& campaign,
                                  Catalog& catalog, AtomicOutput& ledger,
                                  const std::function<void(std::size_t offset)>& consumed) {
  const DonationStream stream = read_donations(text, label, campaign.minor_units, catalog, consumed);
  const Plan plan(campaign, catalog);
  Allocator allocator(plan, catalog);
  CsvLedgerSink sink(ledger, stream, plan);
  run_allocation(allocator, stream, sink);
  return summary_json(plan, stream, allocator);
}

SimulateResult simulate_donations(std::string_view text, const std::string& label, const Campaign& campaign,
                                  Catalog& catalog, AtomicOutput& ledger,
                                  const std::function<void(std::size_t offset)>& consumed, const StreamShape& shape) {
  Catalog whole_stream_catalog = catalog;  // the projects file's names only: small
  if (std::optional<std::string> summary = stream_donations(text, label, campaign, catalog, ledger, consumed, shape))
    return {std::move(*summary), true};
  ledger.restart();
  catalog = std::move(whole_stream_catalog);
  return {simulate_whole_stream(text, label, campaign, catalog, ledger, consumed), false};
}

}  // namespace matchfund
