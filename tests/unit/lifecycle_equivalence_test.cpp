// SPEC 6: a file of reserve events each followed at once by its confirm with
// the same time grants exactly what simulate grants. Replays every simulate
// allocation case of the shared conformance suite that way and compares the
// reserve rows with the case's expected ledger.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/csv_reader.hpp"
#include "engine/csv_writer.hpp"
#include "engine/events.hpp"
#include "engine/ingest.hpp"
#include "engine/lifecycle_run.hpp"
#include "engine/rules.hpp"
#include "unit/test_support.hpp"

namespace fs = std::filesystem;
using namespace matchfund;

namespace {

using matchfund::test_support::slurp;

// Rewrites a donations CSV as events: reserve then confirm for every row.
std::string reserve_confirm_events(const std::string& donations) {
  CsvReader reader(donations, "donations.csv");
  EXPECT_TRUE(reader.next());
  std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  auto column = [&](const char* name) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  };
  const int id = column("id"), time = column("time"), donor = column("donor"), project = column("project"),
            amount = column("amount"), channel = column("channel");
  std::string out = "op,time,id,donor,project,amount,channel\n";
  while (reader.next()) {
    const auto& f = reader.fields();
    auto row = [&](const char* op, bool body) {
      out += op;
      for (int c : {time, id, donor, project, amount, channel}) {
        out += ',';
        bool is_body = c == donor || c == project || c == amount || c == channel;
        if (c >= 0 && (body || !is_body)) append_csv_field(out, f[c]);
      }
      out += '\n';
    };
    row("reserve", true);
    row("confirm", false);
  }
  return out;
}

// The reserve rows of an event ledger, rewritten as simulate ledger rows.
std::string reserve_rows_as_ledger(const std::string& event_ledger) {
  CsvReader reader(event_ledger, "event-ledger");
  EXPECT_TRUE(reader.next());
  std::string out = "donation,pool,base,granted,limit\n";
  while (reader.next()) {
    const auto& f = reader.fields();
    if (f[0] != "reserve" || f[5].substr(0, 9) == "rejected:") continue;
    for (int c = 1; c <= 5; ++c) {
      append_csv_field(out, f[c]);
      out += c == 5 ? '\n' : ',';
    }
  }
  return out;
}

std::vector<fs::path> simulate_allocation_cases() {
  std::vector<fs::path> cases;
  fs::path root = fs::path(MATCHFUND_SHARED_DIR) / "conformance" / "cases";
  if (!fs::exists(root)) return cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    const fs::path& d = entry.path();
    if (fs::exists(d / "lifecycle") || fs::exists(d / "expected_exit.txt")) continue;
    cases.push_back(d);
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

}  // namespace

TEST(LifecycleEquivalence, ReserveThenConfirmGrantsWhatSimulateGrants) {
  const auto cases = simulate_allocation_cases();
  ASSERT_GT(cases.size(), 50u) << "the shared conformance cases were not found";
  for (const fs::path& dir : cases) {
    SCOPED_TRACE(dir.filename().string());
    Options options;
    options.rules_json = slurp(dir / "rules.json");
    Campaign campaign = parse_campaign(options.rules_json, "rules.json");
    Catalog names;
    if (fs::exists(dir / "projects.csv")) {
      options.projects_csv = slurp(dir / "projects.csv");
      read_projects(options.projects_csv, "projects.csv", names);
    }
    const std::string events_text = reserve_confirm_events(slurp(dir / "donations.csv"));
    EventStream events = read_events(events_text, "events.csv", campaign.minor_units, names);
    std::string ledger(kEventLedgerHeader);
    const LifecycleRun run = run_lifecycle(options, events, names, ledger, [] {});
    EXPECT_EQ(reserve_rows_as_ledger(ledger), slurp(dir / "ledger.csv"));
    // A repeated donation id is granted nothing by simulate; here its reserve is
    // refused as a duplicate and its confirm as not held.
    const auto expected = nlohmann::json::parse(slurp(dir / "summary.json"));
    EXPECT_EQ(run.rejected, 2 * expected["duplicates"].get<std::uint64_t>());
    // Every reserve was confirmed at once: nothing is held or released.
    for (const PoolTotals& t : run.pools) {
      EXPECT_EQ(t.held, 0);
      EXPECT_EQ(t.released, 0);
    }
  }
}
