// Fuzzes simulate's streamed run (engine/streamed_simulation.hpp): any bytes
// as a donations file, cut into chunks and batches of sizes the first bytes
// choose, must give what the whole stream read first gives: the same error
// message, or the same ledger and summary, byte for byte.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include <unistd.h>

#include "engine/file_io.hpp"
#include "engine/ingest.hpp"
#include "engine/rules.hpp"
#include "engine/streamed_simulation.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace matchfund;

// minor_units 0, so amounts near int64 are short to write; the edu pool
// triples amounts above 10, so a big amount's base passes int64.
constexpr const char* kRules = R"({"minor_units": 0, "pools": [
  {"id": "one", "budget": "5000", "match": {"ratio": "1"}, "caps": {"per_donor": {"amount": "40", "per": "day"}}},
  {"id": "edu", "budget": "9000000000000000000", "match": {"tiers": [{"up_to": "10", "ratio": "0.5"}, {"ratio": "3"}]},
   "eligible": {"categories": ["education"]}}]})";
constexpr const char* kProjects = "project,category\na,education\nb,health\n";

struct Outcome {
  std::optional<std::string> error;
  std::string ledger, summary;
};

const std::string& ledger_path() {
  static const std::string path = "/tmp/matchfund-simulate-fuzz-" + std::to_string(::getpid()) + ".csv";
  return path;
}

template <class Run>
Outcome outcome_of(Run&& run) {
  Outcome out;
  const Campaign campaign = parse_campaign(kRules, "rules.json");
  Catalog catalog;
  read_projects(kProjects, "projects.csv", catalog);
  try {
    AtomicOutput ledger(ledger_path());
    out.summary = run(campaign, catalog, ledger);
    ledger.finish();
    ledger.publish();
  } catch (const Error& e) {  // anything else escapes, and libFuzzer reports it
    if (std::string_view(e.what()).empty()) fuzz::violated("an Error without a message");
    out.error = e.what();
    return out;
  }
  out.ledger = read_file(ledger_path());
  std::remove(ledger_path().c_str());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const StreamShape shape{1 + data[0] % 9u, 1 + data[1] * 3u};
  const std::string text(fuzz::as_text(data + 2, size - 2));
  const Outcome streamed = outcome_of([&](const Campaign& campaign, Catalog& catalog, AtomicOutput& ledger) {
    return simulate_donations(text, "donations.csv", campaign, catalog, ledger, {}, shape).summary;
  });
  const Outcome whole = outcome_of([&](const Campaign& campaign, Catalog& catalog, AtomicOutput& ledger) {
    return simulate_whole_stream(text, "donations.csv", campaign, catalog, ledger);
  });
  if (streamed.error != whole.error)
    fuzz::violated("errors differ: streamed \"" + streamed.error.value_or("none") + "\", whole \"" +
                   whole.error.value_or("none") + "\"");
  if (streamed.ledger != whole.ledger) fuzz::violated("the ledgers differ");
  if (streamed.summary != whole.summary) fuzz::violated("the summaries differ");
  return 0;
}
