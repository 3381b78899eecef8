#include "engine/settlement/contributions.hpp"

#include "engine/csv_reader.hpp"
#include "engine/settlement/exact_decimal.hpp"
#include "engine/text.hpp"

namespace matchfund {

Contributions read_contributions(std::string_view text, const std::string& label, const ColumnMap& map) {
  auto column_of = [&map](std::string_view field) {
    auto it = map.find(field);
    return it == map.end() ? std::string(field) : it->second;
  };
  const std::string donor_col = column_of("donor"), project_col = column_of("project"),
                    amount_col = column_of("amount"), weight_col = column_of("weight");
  CsvReader reader(text, label);
  if (!reader.next()) reader.fail_line(1, "the file is empty; it needs a header row");
  CsvHeader header(reader, {donor_col, project_col, amount_col, weight_col, column_of("id"), column_of("time")});
  for (const std::string* c : {&donor_col, &project_col, &amount_col}) header.require(reader, *c);
  for (const auto& [field, column] : map) header.require(reader, column);
  const int donor_i = header.column(donor_col), project_i = header.column(project_col),
            amount_i = header.column(amount_col), weight_i = header.column(weight_col);

  Contributions c;
  while (reader.next()) {
    check_field_count(reader, header.width());
    const auto& f = reader.fields();
    if (f[donor_i].empty()) reader.fail(reader.line(), donor_col, "the donor id is empty");
    if (f[project_i].empty()) reader.fail(reader.line(), project_col, "the project id is empty");
    check_id_length(reader, f[donor_i], donor_col);
    check_id_length(reader, f[project_i], project_col);
    ExactDecimalResult amount = parse_exact_decimal(f[amount_i], true);
    if (amount.error) reader.fail(reader.line(), amount_col, *amount.error);
    if (amount.scaled <= 0) reader.fail(reader.line(), amount_col, "the amount must be greater than 0");
    Wide weight = kExactOne;
    if (weight_i >= 0) {
      if (f[weight_i].empty()) reader.fail(reader.line(), weight_col, "the weight is empty");
      ExactDecimalResult w = parse_exact_decimal(f[weight_i], true);
      if (w.error) reader.fail(reader.line(), weight_col, *w.error);
      if (w.scaled > kExactOne) reader.fail(reader.line(), weight_col, quote(f[weight_i]) + " is above 1");
      weight = w.scaled;
    }
    c.donor.push_back(c.donors.intern(f[donor_i]).first);
    c.project.push_back(c.projects.intern(f[project_i]).first);
    c.amount.push_back(amount.scaled);
    c.weight.push_back(weight);
  }
  return c;
}

}  // namespace matchfund
