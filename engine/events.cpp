#include "engine/events.hpp"

#include "engine/csv_reader.hpp"
#include "engine/ingest.hpp"
#include "engine/text.hpp"

namespace matchfund {

std::string_view op_name(EventOp op) {
  switch (op) {
    case EventOp::reserve:
      return "reserve";
    case EventOp::extend:
      return "extend";
    case EventOp::confirm:
      return "confirm";
    case EventOp::cancel:
      return "cancel";
    case EventOp::refund:
      return "refund";
  }
  return "";
}

EventStream read_events(std::string_view text, const std::string& label, int minor_units, Catalog& catalog) {
  CsvReader reader(text, label);
  if (!reader.next()) reader.fail_line(1, "the file is empty; it needs a header row");
  CsvHeader header(reader, {"op", "time", "id", "donor", "project", "amount", "channel"});
  header.require(reader, "op");
  const DonationColumns columns = DonationColumns::from(reader, header);
  const int op_col = header.column("op");

  EventStream s;
  s.label = label;
  DonationFields row;
  while (reader.next()) {
    check_field_count(reader, header.width());
    std::string_view op_text = reader.fields()[op_col];
    EventOp op;
    if (op_text == "reserve") {
      op = EventOp::reserve;
    } else if (op_text == "extend") {
      op = EventOp::extend;
    } else if (op_text == "confirm") {
      op = EventOp::confirm;
    } else if (op_text == "cancel") {
      op = EventOp::cancel;
    } else if (op_text == "refund") {
      op = EventOp::refund;
    } else {
      reader.fail(reader.line(), "op",
                  quote(op_text) + " is not one of reserve, extend, confirm, cancel, refund (lower case)");
    }
    Micros time = read_time(reader, columns.time).utc;
    std::string_view id = read_id(reader, columns.id);
    if (op == EventOp::reserve) {
      read_donation_body(reader, columns, minor_units, catalog, row);
    } else {
      row = DonationFields{};  // not read on other ops, whatever they hold
    }
    s.op.push_back(op);
    s.time.push_back(time);
    s.id.push_back(s.ids.intern(id).first);
    s.line.push_back(static_cast<std::uint32_t>(reader.line()));
    s.donor.push_back(row.donor);
    s.project.push_back(row.project);
    s.channel.push_back(row.channel);
    s.amount.push_back(row.amount);
  }
  return s;
}

}  // namespace matchfund
