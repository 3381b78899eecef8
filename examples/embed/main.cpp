// A small program embedding matchfund (docs/embedding.md): it opens an engine
// on a data directory, walks donations through the live lifecycle (quote,
// reserve, confirm, cancel, refund, expiry), shows how refusals come back as
// Result codes, explains a donation, tops up a pool, freezes a project,
// prints the totals, and reopens the directory to show that recovery gives
// back the same state.
//
//   embed_example DATA_DIR [RULES_JSON]
//
// DATA_DIR should be empty or absent; a directory that already holds a
// campaign is recovered and its totals printed.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/engine.hpp"

using namespace matchfund;

namespace {

int minor_units = 2;  // set from the engine once it is open

std::string money(Minor amount) { return format_amount(amount, minor_units); }

// "80.00" -> 8000 minor units, exactly (money.hpp); the example's own amounts are valid.
Minor amount_of(std::string_view text) {
  AmountResult parsed = parse_amount(text, minor_units);
  if (parsed.failure) {
    std::cerr << describe(*parsed.failure, text, minor_units) << "\n";
    std::exit(1);
  }
  return parsed.value;
}

// RFC 3339 -> microseconds since 1970 (time.hpp).
Micros at(std::string_view rfc3339) {
  std::optional<ParsedInstant> parsed = parse_instant(rfc3339);
  if (!parsed) {
    std::cerr << "not an RFC 3339 time: " << rfc3339 << "\n";
    std::exit(1);
  }
  return parsed->utc;
}

std::string time_text(Micros t) { return format_instant(t, TimeStyle{}); }

// A call the example expects to succeed: on a refusal, print why and stop.
template <class T>
const T& must(const Result<T>& result, std::string_view what) {
  if (!result.ok()) {
    std::cerr << what << " failed: " << code_name(result.code()) << ": " << result.message() << "\n";
    std::exit(1);
  }
  return result.value();
}

// A call the example expects to be refused with `expected`.
template <class T>
void refused(const Result<T>& result, Code expected, std::string_view what) {
  std::cout << "  " << what << " -> " << code_name(result.code());
  if (!result.ok()) std::cout << " (" << result.message() << ")";
  std::cout << "\n";
  if (result.code() != expected) {
    std::cerr << what << ": expected " << code_name(expected) << "\n";
    std::exit(1);
  }
}

void print_allocation(std::string_view what, const Allocation& a) {
  std::cout << what << ": total " << money(a.total);
  if (a.deadline) std::cout << ", held until " << time_text(a.deadline);
  std::cout << "\n";
  for (const PoolGrant& g : a.grants)
    std::cout << "    " << g.pool << ": base " << money(g.base) << ", grant " << money(g.amount) << ", limit "
              << g.limit << "\n";
}

void print_settlement(std::string_view what, const Settlement& s) {
  std::cout << what << " " << s.id << ": " << money(s.total);
  for (const PoolAmount& row : s.rows) std::cout << " [" << row.pool << " " << money(row.amount) << "]";
  std::cout << "\n";
}

void print_explanation(const Explanation& e) {
  std::cout << "explain " << e.id << ": donor " << e.donor << ", project " << e.project << ", channel "
            << e.channel << ", amount " << money(e.amount) << ", state " << hold_state_name(e.state)
            << ", match " << money(e.total) << "\n";
  for (const PoolExplanation& p : e.pools) {
    if (!p.eligible) {
      std::cout << "    " << p.pool << ": not eligible (" << p.reason << ")\n";
      continue;
    }
    std::cout << "    " << p.pool << ": base " << money(p.base) << ", grant " << money(p.amount) << ", limit "
              << p.limit << "; headroom:";
    for (const Headroom& h : p.headrooms)
      std::cout << " " << h.limit << " " << (h.amount ? money(*h.amount) : std::string("unbounded"));
    std::cout << "\n";
  }
}

// Everything the engine can report, as text (to compare before and after reopening).
std::string totals_of(const Engine& engine) {
  std::ostringstream out;
  out << "clock " << time_text(engine.clock()) << "\n";
  for (const PoolTotals& t : engine.pool_totals())
    out << "  pool " << t.pool << ": budget " << money(t.budget) << ", held " << money(t.held) << ", confirmed "
        << money(t.confirmed) << ", released " << money(t.released) << ", available " << money(t.available) << "\n";
  for (const char* project : {"school-42", "park-7"}) {
    MatchTotals m = engine.project_totals(project);
    out << "  project " << project << ": held " << money(m.held) << ", confirmed " << money(m.confirmed) << "\n";
  }
  for (const char* donor : {"ann", "bob", "cat", "dan"}) {
    MatchTotals m = engine.donor_totals(donor);
    out << "  donor " << donor << ": held " << money(m.held) << ", confirmed " << money(m.confirmed) << "\n";
  }
  return out.str();
}

void print_recovery(const Recovery& r) {
  std::cout << "recovery: " << (r.from_snapshot ? "from a snapshot, " : "") << r.records_replayed
            << " journal records replayed, " << r.torn_bytes << " torn bytes cut";
  if (!r.note.empty()) std::cout << " (" << r.note << ")";
  std::cout << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: embed_example DATA_DIR [RULES_JSON]\n";
    return 2;
  }
  const std::string rules_path = argc == 3 ? argv[2] : EMBED_RULES_FILE;
  std::ifstream rules_file(rules_path, std::ios::binary);
  if (!rules_file) {
    std::cerr << "cannot read " << rules_path << "\n";
    return 2;
  }
  std::stringstream rules;
  rules << rules_file.rdbuf();

  Options options;
  options.rules_json = rules.str();
  options.rules_label = rules_path;
  options.data_dir = argv[1];
  options.fsync = FsyncPolicy::every_call;  // an acknowledged change survives a power loss
  // The listener runs under the engine's lock: it may record, never call the engine.
  std::vector<Settlement> expired;
  options.on_expire = [&expired](const Settlement& s) { expired.push_back(s); };

  std::string totals_before;
  {
    Result<std::unique_ptr<Engine>> opened = Engine::open(options);
    if (!opened.ok()) {
      // rules_error: the rules are invalid; corrupt: the data directory is damaged or from other rules.
      std::cerr << "cannot open the engine: " << code_name(opened.code()) << ": " << opened.message() << "\n";
      return 1;
    }
    Engine& engine = *opened.value();
    minor_units = engine.minor_units();
    print_recovery(engine.recovery());
    if (engine.recovery().from_snapshot || engine.recovery().records_replayed > 0) {
      std::cout << "the data directory already holds a campaign:\n" << totals_of(engine);
      std::cout << "run with an empty directory to replay the example\n";
      return 0;
    }

    const Micros t0 = at("2017-09-07T09:00:00+08:00");
    const Micros minute = 60 * kMicrosPerSecond;

    // Checkout starts: what would this donation get? Then hold it, then payment succeeds.
    print_allocation("quote d-1", must(engine.quote({"d-1", "ann", "school-42", "", amount_of("80.00"), t0}), "quote"));
    print_allocation("reserve d-1",
                     must(engine.reserve({"d-1", "ann", "school-42", "", amount_of("80.00"), t0}), "reserve d-1"));
    print_settlement("confirm", must(engine.confirm("d-1", t0 + 2 * minute), "confirm d-1"));

    // ann's second donation the same day meets the per-donor cap; the checkout is abandoned.
    print_allocation("reserve d-2",
                     must(engine.reserve({"d-2", "ann", "park-7", "", amount_of("50.00"), t0 + 3 * minute}), "reserve d-2"));
    print_settlement("cancel", must(engine.cancel("d-2", t0 + 4 * minute), "cancel d-2"));

    // Paid, then refunded: the match goes back to the pools.
    must(engine.reserve({"d-3", "bob", "school-42", "card", amount_of("30.00"), t0 + 5 * minute}), "reserve d-3");
    must(engine.extend("d-3", t0 + 6 * minute), "extend d-3");
    print_settlement("confirm", must(engine.confirm("d-3", t0 + 7 * minute), "confirm d-3"));
    print_settlement("refund", must(engine.refund("d-3", t0 + 30 * minute), "refund d-3"));

    // A checkout that never completes: the hold lapses when the clock passes its deadline.
    must(engine.reserve({"d-4", "cat", "park-7", "", amount_of("10.00"), t0 + 31 * minute}), "reserve d-4");
    must(engine.advance(t0 + 45 * minute), "advance");
    for (const Settlement& s : expired) print_settlement("expired", s);

    // Refusals are values: a code and a message. A refused call changes nothing, not even the clock.
    const Micros clock = engine.clock();
    std::cout << "refusals:\n";
    refused(engine.confirm("d-2", t0 + 46 * minute), Code::not_held, "confirm d-2 (cancelled)");
    refused(engine.reserve({"d-1", "ann", "school-42", "", 100, t0 + 46 * minute}), Code::duplicate, "reserve d-1 again");
    refused(engine.refund("d-9", t0 + 46 * minute), Code::unknown, "refund d-9 (never reserved)");
    refused(engine.reserve({"d-5", "dan", "park-7", "", 0, t0 + 46 * minute}), Code::invalid_argument, "reserve 0.00");
    refused(engine.confirm("d-1", t0 - 120 * minute), Code::stale_time, "confirm at a time 2h45m behind the clock");
    refused(engine.top_up("no-such-pool", amount_of("10.00")), Code::invalid_argument, "top up an unknown pool");
    if (engine.clock() != clock) {
      std::cerr << "the clock moved on a refused call\n";
      return 1;
    }

    // A sponsor adds money mid-campaign; a fraud review freezes a project.
    must(engine.top_up("platform", amount_of("500.00")), "top up");
    must(engine.reserve({"d-5", "dan", "park-7", "", amount_of("20.00"), t0 + 50 * minute}), "reserve d-5");
    // (Keep the Result: a range-for over must(...) would outlive the temporary.)
    Result<std::vector<Settlement>> frozen = engine.freeze("park-7", /*claw_back=*/false);
    for (const Settlement& s : must(frozen, "freeze")) print_settlement("released by freeze", s);
    refused(engine.reserve({"d-6", "dan", "park-7", "", amount_of("20.00"), t0 + 51 * minute}), Code::project_frozen,
            "reserve for the frozen project");

    print_explanation(must(engine.explain("d-2"), "explain d-2"));
    print_explanation(must(engine.explain("d-1"), "explain d-1"));

    totals_before = totals_of(engine);
    std::cout << "totals:\n" << totals_before;
  }  // closing the engine flushes the journal

  // Reopening the data directory replays the journal: the same state.
  Result<std::unique_ptr<Engine>> reopened = Engine::open(options);
  if (!reopened.ok()) {
    std::cerr << "cannot reopen: " << code_name(reopened.code()) << ": " << reopened.message() << "\n";
    return 1;
  }
  print_recovery(reopened.value()->recovery());
  const bool same = totals_of(*reopened.value()) == totals_before;
  std::cout << "totals after reopening match: " << (same ? "yes" : "no") << "\n";
  return same ? 0 : 1;
}
