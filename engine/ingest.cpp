#include "engine/ingest.hpp"

#include <algorithm>

#include "engine/donated_total.hpp"
#include "engine/donation_rows.hpp"
#include "engine/erase_positions.hpp"
#include "engine/error.hpp"
#include "engine/intern_rows.hpp"
#include "engine/limits.hpp"
#include "engine/repeated_strings.hpp"
#include "engine/text.hpp"

namespace matchfund {

void read_projects(std::string_view text, const std::string& label, Catalog& catalog) {
  CsvReader reader(text, label);
  if (!reader.next()) reader.fail_line(1, "the file is empty; it needs a header row naming \"project\"");
  CsvHeader header(reader, {"project", "category", "org"});
  header.require(reader, "project");
  const int project_col = header.column("project");
  const int category_col = header.column("category");
  const int org_col = header.column("org");
  std::vector<bool> listed;
  while (reader.next()) {
    check_field_count(reader, header.width());
    const auto& f = reader.fields();
    std::string_view id = f[project_col];
    if (id.empty()) reader.fail(reader.line(), "project", "the project id is empty");
    check_id_length(reader, id, "project");
    if (category_col >= 0) check_id_length(reader, f[category_col], "category");
    if (org_col >= 0) check_id_length(reader, f[org_col], "org");
    std::uint32_t p = catalog.project(id);
    check_project_count(reader, catalog, reader.line());
    if (listed.size() <= p) listed.resize(p + 1, false);
    if (listed[p]) reader.fail(reader.line(), "project", "project " + quote(id) + " is listed twice");
    listed[p] = true;
    if (category_col >= 0) catalog.project_category[p] = catalog.categories.intern(f[category_col]).first;
    if (org_col >= 0) catalog.project_org[p] = catalog.orgs.intern(f[org_col]).first;
  }
}

DonationColumns DonationColumns::from(const CsvReader& reader, const CsvHeader& header) {
  for (std::string_view name : {"id", "time", "donor", "project", "amount"}) header.require(reader, name);
  DonationColumns c;
  c.id = header.column("id");
  c.time = header.column("time");
  c.donor = header.column("donor");
  c.project = header.column("project");
  c.amount = header.column("amount");
  c.channel = header.column("channel");
  return c;
}

std::string_view read_id(const CsvReader& reader, int column) {
  std::string_view id = reader.fields()[column];
  if (id.empty()) reader.fail(reader.line(), "id", "the id is empty");
  check_id_length(reader, id, "id");
  return id;
}

ParsedInstant read_time(const CsvReader& reader, int column) {
  std::string_view text = reader.fields()[column];
  auto t = parse_instant(text);
  if (!t)
    reader.fail(reader.line(), "time",
                quote(text) +
                    " is not an RFC 3339 time such as 2017-09-07T09:00:00+08:00 (a valid date, "
                    "seconds, up to 6 fraction digits, Z or an offset)");
  return *t;
}

DonationBody check_donation_body(const CsvReader& reader, const DonationColumns& columns, int minor_units) {
  const auto& f = reader.fields();
  DonationBody body;
  body.donor = f[columns.donor];
  if (body.donor.empty()) reader.fail(reader.line(), "donor", "the donor id is empty");
  check_id_length(reader, body.donor, "donor");
  body.project = f[columns.project];
  if (body.project.empty()) reader.fail(reader.line(), "project", "the project id is empty");
  check_id_length(reader, body.project, "project");
  std::string_view amount_text = f[columns.amount];
  AmountResult amount = parse_amount(amount_text, minor_units);
  if (amount.failure) reader.fail(reader.line(), "amount", describe(*amount.failure, amount_text, minor_units));
  if (amount.value <= 0) reader.fail(reader.line(), "amount", "the amount must be greater than 0");
  body.amount = amount.value;
  if (columns.channel >= 0) {
    body.channel = f[columns.channel];
    check_id_length(reader, body.channel, "channel");
  }
  return body;
}

namespace {

void intern_body(const DonationBody& body, Catalog& catalog, DonationFields& out) {
  out.donor = catalog.donors.intern(body.donor).first;
  out.project = catalog.project(body.project);
  out.amount = body.amount;
  out.channel = body.channel.empty() ? 0 : catalog.channels.intern(body.channel).first;  // 0: cash
}

}  // namespace

void read_donation_body(const CsvReader& reader, const DonationColumns& columns, int minor_units,
                        Catalog& catalog, DonationFields& out) {
  intern_body(check_donation_body(reader, columns, minor_units), catalog, out);
  check_project_count(reader, catalog, reader.line());
}

CsvHeader read_donations_header(CsvReader& reader) {
  if (!reader.next()) reader.fail_line(1, "the file is empty; it needs a header row");
  return CsvHeader(reader, {"id", "time", "donor", "project", "amount", "channel"});
}

std::size_t expected_rows(std::size_t text_bytes) { return text_bytes / 64 + 16; }

void reserve_donors(Catalog& catalog, std::size_t text_bytes) {
  // Donors: at most one a row, so their arrays get room for that and never
  // move (at scale 1 the 4.3M donors' arrays were copied on every doubling).
  // Their table is filled when made, so sizing it for every row would cost
  // memory; it starts sized for one donor per four rows instead, and grows
  // past that. Repeat donors are the rule in matching campaigns (3 rows a
  // donor at scale 1), and each doubling on the way there rebuilt the whole
  // table on this thread: BM_Parse 2986 -> 2692 ms.
  const std::size_t guess = expected_rows(text_bytes);
  catalog.donors.reserve_arrays(guess, text_bytes / 4);
  catalog.donors.reserve(guess / 4, 0);
}

DonationStream read_donations(std::string_view text, const std::string& label, int minor_units, Catalog& catalog,
                              const std::function<void(std::size_t offset)>& consumed) {
  CsvReader reader(text, label);
  const CsvHeader header = read_donations_header(reader);
  const DonationColumns columns = DonationColumns::from(reader, header);

  DonationStream s;
  s.label = label;
  // Reserved once the first rows are in, so that a file refused at its first
  // record (a 1 GB line) allocates nothing. A rough row count from the size
  // (rows of peak-day exports are 60 to 70 bytes) keeps reallocation rare on
  // big files without reserving far too much. Id bytes get a generous
  // reserve: capacity never written costs no memory, while outgrowing it
  // copies the whole arena (at scale 1, 9-byte ids passed size / 8 at the
  // very end, and the copy set the run's peak memory).
  auto reserve = [&] {
    const std::size_t guess = expected_rows(text.size());
    s.ids.reserve(guess, text.size() / 4);
    reserve_donors(catalog, text.size());
    for (auto* v : {&s.donor, &s.project, &s.channel, &s.line}) v->reserve(guess);
    s.time.reserve(guess);
    s.time_style.reserve(guess);
    s.amount.reserve(guess);
  };

  // Rows are read and checked ahead, on a second thread and on this one when
  // it would wait (DonationRowReader), then interned here in file order
  // (intern_rows). The first error in file order wins, as if rows were
  // handled one by one. Every row is stored; duplicate ids are found and
  // their rows removed once the file is read (find_repeats, DonatedTotal).
  DonationRowReader rows(reader, header.width(), columns, minor_units, text);
  ConsumedText released(consumed);
  DonatedTotal donated;
  for (;;) {
    const RowBatch& batch = rows.next();
    const std::size_t count = batch.count();
    if (count > 0 && s.time.capacity() == 0) reserve();
    // The columns stored as they are, a batch at a time.
    const auto first = static_cast<std::uint32_t>(s.size());
    s.ids.append(batch.id_bytes, batch.id_ends.data(), batch.id_hash.data(), count);
    s.time.insert(s.time.end(), batch.time.begin(), batch.time.end());
    s.time_style.insert(s.time_style.end(), batch.time_style.begin(), batch.time_style.end());
    s.amount.insert(s.amount.end(), batch.amount.begin(), batch.amount.end());
    s.line.resize(first + count);
    for (std::size_t k = 0; k < count; ++k) s.line[first + k] = batch.line[k] + batch.line_base;
    // Then the names, row by row in file order.
    for (auto* v : {&s.donor, &s.project, &s.channel}) v->resize(first + count);
    intern_rows(batch, reader, catalog, s.donor.data() + first, s.project.data() + first, s.channel.data() + first,
                [&](std::size_t k, std::uint32_t line) {
                  if (!donated.add(s.ids, s.amount.data(), first + static_cast<std::uint32_t>(k))) [[unlikely]]
                    reader.fail(line, "amount",
                                "the total donated no longer fits a signed 64-bit count of minor units");
                });
    // The batch's views into the text are dead: everything before its end is done with.
    released.reached(batch.end_offset);
    if (rows.finish_batch()) break;
  }
  // A duplicate was validated like any row, then is granted nothing.
  const std::vector<std::uint32_t> repeats = find_repeats(s.ids);
  s.duplicates = repeats.size();
  s.donated = donated.donated(repeats, s.amount.data());
  s.ids.erase(repeats);
  erase_positions(s.time, repeats);
  erase_positions(s.time_style, repeats);
  erase_positions(s.donor, repeats);
  erase_positions(s.project, repeats);
  erase_positions(s.channel, repeats);
  erase_positions(s.amount, repeats);
  erase_positions(s.line, repeats);
  return s;
}

}  // namespace matchfund
