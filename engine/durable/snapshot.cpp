#include "engine/durable/snapshot.hpp"

#include <cstring>

#include "engine/durable/bytes.hpp"

namespace matchfund {

using durable::ByteReader;
using durable::ByteWriter;
using durable::crc32c;

namespace {

constexpr char kMagic[8] = {'M', 'F', 'S', 'N', 'A', 'P', '0', '1'};
constexpr std::size_t kHeadBytes = sizeof kMagic + 8 + 8;  // magic, identity, generation

void write_names(ByteWriter& w, const Interner& names) {
  w.u32(names.size());
  for (std::uint32_t i = 0; i < names.size(); ++i) w.str(names.name(i));
}

// Interns the names in order; each must land on its recorded index.
bool read_names(ByteReader& in, Interner& names) {
  const std::uint32_t n = in.u32();
  for (std::uint32_t i = 0; i < n && !in.failed(); ++i)
    if (names.intern(in.str()).first != i) return false;
  return !in.failed();
}

}  // namespace

std::string LiveSnapshot::encode(const LiveEngine& e, std::uint64_t identity, std::uint64_t generation) {
  std::string out(kMagic, sizeof kMagic);
  ByteWriter w(out);
  w.u64(identity);
  w.u64(generation);
  w.u8(e.started_ ? 1 : 0);
  w.i64(e.clock_);
  w.u64(e.next_seq_);
  write_names(w, e.catalog_->projects);
  write_names(w, e.catalog_->donors);
  write_names(w, e.catalog_->channels);

  const auto& pools = e.plan_.pools();
  std::vector<Allocator::PoolMarks> marks;
  e.allocator_.save_marks(marks);
  w.u32(static_cast<std::uint32_t>(pools.size()));
  for (std::size_t p = 0; p < pools.size(); ++p) {
    w.i64(pools[p].topped_up);
    w.u64(marks[p].grants);
    w.u8(marks[p].exhausted ? 1 : 0);
    w.u64(marks[p].exhausted_by);
    w.i64(e.pool_sums_[p].held);
    w.i64(e.pool_sums_[p].confirmed);
    w.i64(e.pool_sums_[p].released);
  }
  std::uint32_t frozen = 0;
  for (std::uint8_t f : e.frozen_) frozen += f;
  w.u32(frozen);
  for (std::uint32_t p = 0; p < e.frozen_.size(); ++p)
    if (e.frozen_[p]) w.u32(p);

  w.u32(static_cast<std::uint32_t>(e.reservations_.size()));
  for (std::uint32_t id = 0; id < e.reservations_.size(); ++id) {
    const LiveEngine::Reservation& r = e.reservations_[id];
    w.str(e.ids_.name(id));
    w.u8(static_cast<std::uint8_t>(r.state));
    w.u64(r.made_seq);
    w.i64(r.made);
    w.i64(r.deadline);
    w.i64(r.keys.time);
    w.i64(r.keys.amount);
    w.i64(r.keys.day);
    w.u32(r.keys.donor);
    w.u32(r.keys.project);
    w.u32(r.channel);
    w.u32(static_cast<std::uint32_t>(r.rows.size()));
    for (const LiveEngine::Row& row : r.rows) {
      w.u32(row.pool);
      w.i64(row.base);
      w.i64(row.grant);
      w.u8(row.limit);
    }
    for (Minor h : r.headrooms) w.i64(h);
  }
  w.u32(crc32c(out));
  return out;
}

bool LiveSnapshot::decode(std::string_view bytes, std::uint64_t identity, std::uint64_t generation, LiveEngine& e,
                          std::string& error) {
  if (bytes.size() < kHeadBytes + 4 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    error = "not a matchfund snapshot";
    return false;
  }
  std::uint32_t crc;
  std::memcpy(&crc, bytes.data() + bytes.size() - 4, 4);
  if (crc32c(bytes.substr(0, bytes.size() - 4)) != crc) {
    error = "its checksum does not match: the file is damaged";
    return false;
  }
  ByteReader in(bytes.substr(sizeof kMagic, bytes.size() - sizeof kMagic - 4));
  if (in.u64() != identity) {
    error = "it was written under other rules or another projects file";
    return false;
  }
  if (in.u64() != generation) {
    error = "its generation does not match its name";
    return false;
  }
  auto bad = [&](const char* what) {
    error = std::string("its content is inconsistent (") + what + ")";
    return false;
  };
  e.started_ = in.u8() != 0;
  e.clock_ = in.i64();
  e.next_seq_ = in.u64();
  Catalog& catalog = *e.catalog_;
  const std::uint32_t listed_projects = catalog.projects.size();
  if (!read_names(in, catalog.projects)) return bad("project names");
  for (std::uint32_t p = listed_projects; p < catalog.projects.size(); ++p) {
    catalog.project_category.push_back(Catalog::kNoCategory);
    catalog.project_org.push_back(Catalog::kNoOrg);
  }
  if (!read_names(in, catalog.donors) || !read_names(in, catalog.channels)) return bad("names");
  e.plan_.refresh(catalog);
  e.by_project_.assign(catalog.projects.size(), MatchTotals{});
  e.frozen_.assign(catalog.projects.size(), 0);
  e.by_donor_.assign(catalog.donors.size(), MatchTotals{});

  const std::uint32_t pool_count = in.u32();
  if (pool_count != e.plan_.pools().size()) return bad("pool count");
  std::vector<Allocator::PoolMarks> marks(pool_count);
  for (std::uint32_t p = 0; p < pool_count; ++p) {
    const Minor topped_up = in.i64();
    if (topped_up < 0) return bad("top-up");
    if (topped_up > 0) e.plan_.top_up(p, topped_up);
    marks[p].grants = in.u64();
    marks[p].exhausted = in.u8() != 0;
    marks[p].exhausted_by = in.u64();
    e.pool_sums_[p].held = in.i64();
    e.pool_sums_[p].confirmed = in.i64();
    e.pool_sums_[p].released = in.i64();
  }
  const std::uint32_t frozen = in.u32();
  for (std::uint32_t i = 0; i < frozen && !in.failed(); ++i) {
    const std::uint32_t p = in.u32();
    if (p >= catalog.projects.size()) return bad("frozen project");
    e.frozen_count_ += 1 - e.frozen_[p];
    e.frozen_[p] = 1;
    e.plan_.freeze_project(p);
  }

  const std::uint32_t count = in.u32();
  for (std::uint32_t id = 0; id < count && !in.failed(); ++id) {
    if (e.ids_.intern(in.str()).first != id) return bad("donation ids");
    LiveEngine::Reservation r;
    const std::uint8_t state = in.u8();
    if (state > static_cast<std::uint8_t>(HoldState::clawed_back)) return bad("state");
    r.state = static_cast<HoldState>(state);
    r.made_seq = in.u64();
    r.made = in.i64();
    r.deadline = in.i64();
    r.keys.time = in.i64();
    r.keys.amount = in.i64();
    r.keys.day = static_cast<std::int32_t>(in.i64());
    r.keys.donor = in.u32();
    r.keys.project = in.u32();
    r.channel = in.u32();
    if (r.keys.donor >= catalog.donors.size() || r.keys.project >= catalog.projects.size() ||
        r.channel >= catalog.channels.size())
      return bad("names of a reservation");
    r.keys.org = catalog.project_org[r.keys.project];
    const std::uint32_t rows = in.u32();
    std::size_t headrooms = 0;
    for (std::uint32_t k = 0; k < rows && !in.failed(); ++k) {
      LiveEngine::Row row;
      row.pool = in.u32();
      row.base = in.i64();
      row.grant = in.i64();
      row.limit = in.u8();
      if (row.pool >= pool_count) return bad("pool of a grant");
      headrooms += e.headroom_count(row.pool);
      r.rows.push_back(row);
    }
    for (std::size_t h = 0; h < headrooms && !in.failed(); ++h) r.headrooms.push_back(in.i64());
    Minor total = 0;
    for (const LiveEngine::Row& row : r.rows) total += row.grant;
    if (r.state == HoldState::held || r.state == HoldState::confirmed) {
      for (const LiveEngine::Row& row : r.rows) e.allocator_.recount(r.keys, row.pool, row.grant);
      const bool held = r.state == HoldState::held;
      e.add_match(r, held ? total : 0, held ? 0 : total);
      if (held) e.deadlines_.push({r.deadline, r.made_seq, id});
    }
    e.reservations_.push_back(std::move(r));
  }
  if (in.failed() || !in.at_end()) return bad("length");
  e.allocator_.restore_marks(marks);
  return true;
}

}  // namespace matchfund
