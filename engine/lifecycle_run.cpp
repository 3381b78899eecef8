#include "engine/lifecycle_run.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/csv_writer.hpp"
#include "engine/error.hpp"

namespace matchfund {

namespace {

void begin_row(std::string& out, std::string_view op, std::string_view id) {
  out.append(op);
  out += ',';
  append_csv_field(out, id);
  out += ',';
}

void append_settle_rows(std::string& out, std::string_view op, const Settlement& s, int mu) {
  for (const PoolAmount& row : s.rows) {
    begin_row(out, op, s.id);
    out.append(row.pool);
    out += ",,";
    append_amount(out, row.amount, mu);
    out += ",\n";
  }
}

}  // namespace

LifecycleRun run_lifecycle(Options options, const EventStream& events, const Catalog& names, std::string& ledger,
                           const std::function<void()>& after_event) {
  int mu = 0;
  options.max_time_lag = -1;
  options.max_name_bytes = SIZE_MAX;  // the events reader has checked every id
  options.data_dir.clear();
  options.on_expire = [&](const Settlement& s) { append_settle_rows(ledger, "expire", s, mu); };
  auto opened = Engine::open(std::move(options));
  if (!opened.ok()) throw Error(ErrorKind::rules, opened.message());
  Engine& engine = *opened.value();
  mu = engine.minor_units();

  LifecycleRun run;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Micros time = events.time[i];
    const std::string_view id = events.ids.name(events.id[i]);
    const EventOp op = events.op[i];
    engine.advance(time);  // the clock step and expiry sweep come before every event, refused or not
    Code refused = Code::ok;
    switch (op) {
      case EventOp::reserve: {
        const Donation d{id, names.donors.name(events.donor[i]), names.projects.name(events.project[i]),
                         names.channels.name(events.channel[i]), events.amount[i], time};
        auto held = engine.reserve(d);
        if (held.code() == Code::too_large)
          throw Error(ErrorKind::input, events.label + ", line " + std::to_string(events.line[i]) +
                                            ", column amount: " + held.message());
        if (!held.ok()) {
          refused = held.code();
          break;
        }
        for (const PoolGrant& g : held->grants) {
          begin_row(ledger, "reserve", id);
          ledger.append(g.pool);
          ledger += ',';
          append_amount(ledger, g.base, mu);
          ledger += ',';
          append_amount(ledger, g.amount, mu);
          ledger += ',';
          ledger.append(g.limit);
          ledger += '\n';
        }
        break;
      }
      case EventOp::extend:
        refused = engine.extend(id, time).code();
        break;
      case EventOp::confirm:
      case EventOp::cancel:
      case EventOp::refund: {
        auto settled = op == EventOp::confirm  ? engine.confirm(id, time)
                       : op == EventOp::cancel ? engine.cancel(id, time)
                                               : engine.refund(id, time);
        if (settled.ok()) append_settle_rows(ledger, op_name(op), *settled, mu);
        refused = settled.code();
        break;
      }
    }
    if (refused != Code::ok) {
      // The events were checked when read: only the refusals of SPEC 6 remain.
      if (refused != Code::duplicate && refused != Code::unknown && refused != Code::not_held &&
          refused != Code::not_confirmed)
        throw Error(ErrorKind::input, events.label + ", line " + std::to_string(events.line[i]) +
                                          ": the engine refused the event (" + std::string(code_name(refused)) + ")");
      ++run.rejected;
      begin_row(ledger, op_name(op), id);
      ledger += ",,,rejected:";
      ledger.append(code_name(refused));
      ledger += '\n';
    }
    ++run.events;
    after_event();
  }
  run.pools = engine.pool_totals();
  return run;
}

std::string lifecycle_summary_json(const Campaign& campaign, const LifecycleRun& run) {
  const int mu = campaign.minor_units;
  nlohmann::ordered_json pools = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < campaign.pools.size(); ++r) {
    const PoolTotals& t = run.pools[r];
    nlohmann::ordered_json pool;
    pool["id"] = campaign.pools[r].id;
    pool["budget"] = format_amount(campaign.pools[r].budget, mu);
    pool["confirmed"] = format_amount(t.confirmed, mu);
    pool["held"] = format_amount(t.held, mu);
    pool["released"] = format_amount(t.released, mu);
    pools.push_back(std::move(pool));
  }
  nlohmann::ordered_json summary;
  summary["events"] = run.events;
  summary["rejected"] = run.rejected;
  summary["pools"] = std::move(pools);
  return summary.dump(2) + "\n";
}

}  // namespace matchfund
