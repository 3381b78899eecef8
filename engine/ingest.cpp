#include "engine/ingest.hpp"

#include "engine/error.hpp"
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
    std::uint32_t p = catalog.project(id);
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

void read_donation_body(const CsvReader& reader, const DonationColumns& columns, int minor_units,
                        Catalog& catalog, DonationFields& out) {
  const auto& f = reader.fields();
  std::string_view donor = f[columns.donor];
  if (donor.empty()) reader.fail(reader.line(), "donor", "the donor id is empty");
  std::string_view project = f[columns.project];
  if (project.empty()) reader.fail(reader.line(), "project", "the project id is empty");
  std::string_view amount_text = f[columns.amount];
  AmountResult amount = parse_amount(amount_text, minor_units);
  if (amount.failure) reader.fail(reader.line(), "amount", describe(*amount.failure, amount_text, minor_units));
  if (amount.value <= 0) reader.fail(reader.line(), "amount", "the amount must be greater than 0");
  out.donor = catalog.donors.intern(donor).first;
  out.project = catalog.project(project);
  out.amount = amount.value;
  out.channel = 0;  // cash
  if (columns.channel >= 0 && !f[columns.channel].empty()) out.channel = catalog.channels.intern(f[columns.channel]).first;
}

DonationStream read_donations(std::string_view text, const std::string& label, int minor_units, Catalog& catalog) {
  CsvReader reader(text, label);
  if (!reader.next()) reader.fail_line(1, "the file is empty; it needs a header row");
  CsvHeader header(reader, {"id", "time", "donor", "project", "amount", "channel"});
  const DonationColumns columns = DonationColumns::from(reader, header);

  DonationStream s;
  s.label = label;
  // A rough row count from the size keeps reallocation rare on big files.
  const std::size_t guess = text.size() / 48 + 16;
  s.ids.reserve(guess, text.size() / 4);
  for (auto* v : {&s.donor, &s.project, &s.channel, &s.line}) v->reserve(guess);
  s.time.reserve(guess);
  s.time_style.reserve(guess);
  s.amount.reserve(guess);

  DonationFields row;
  while (reader.next()) {
    check_field_count(reader, header.width());
    row.id = read_id(reader, columns.id);
    row.time = read_time(reader, columns.time);
    read_donation_body(reader, columns, minor_units, catalog, row);
    auto [index, fresh] = s.ids.intern(row.id);
    (void)index;
    if (!fresh) {
      ++s.duplicates;  // validated above, then granted nothing
      continue;
    }
    if (row.amount > kMinorMax - s.donated)
      reader.fail(reader.line(), "amount", "the total donated no longer fits a signed 64-bit count of minor units");
    s.donated += row.amount;
    s.time.push_back(row.time.utc);
    s.time_style.push_back(row.time.style);
    s.donor.push_back(row.donor);
    s.project.push_back(row.project);
    s.channel.push_back(row.channel);
    s.amount.push_back(row.amount);
    s.line.push_back(static_cast<std::uint32_t>(reader.line()));
  }
  return s;
}

}  // namespace matchfund
