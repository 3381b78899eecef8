// simulate_donations (engine/streamed_simulation.hpp): a file streamed chunk
// by chunk gives the same ledger and summary, byte for byte, as the whole
// stream read first; duplicates and overflows take the whole-stream way, and
// errors keep SPEC 8's order either way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/error.hpp"
#include "engine/file_io.hpp"
#include "engine/ingest.hpp"
#include "engine/rules.hpp"
#include "engine/streamed_simulation.hpp"
#include "tests/unit/test_support.hpp"

namespace matchfund {
namespace {

using test_support::error_of;

// Two pools: a small 1:1 one capped per donor per day, which runs out midway;
// and a tiered one for education projects and the coins channel only. The
// donations name a project the projects file does not list, and channels,
// only late in the file, so the plan must learn them while the run streams.
constexpr const char* kRules = R"({
  "utc_offset": "+08:00",
  "pools": [
    {"id": "platform", "budget": "1500", "match": {"ratio": "1"},
     "caps": {"per_donor": {"amount": "30", "per": "day"}, "per_donation": "25"}},
    {"id": "edu", "budget": "100000", "match": {"tiers": [{"up_to": "10", "ratio": "0.5"}, {"ratio": "3"}]},
     "eligible": {"categories": ["education"], "channels": ["coins", "cash"]}}
  ]
})";
constexpr const char* kProjects = "project,category,org\np0,education,o1\np1,health,o2\np2,education,o1\n";

struct Files {
  std::string ledger, summary;
  bool streamed = false;
};

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "/matchfund-streamed-" + name; }

Catalog projects_catalog() {
  Catalog catalog;
  read_projects(kProjects, "projects.csv", catalog);
  return catalog;
}

// The ledger and summary a run writes for `donations`, with the projects file above.
template <class Run>
Files written(const std::string& donations, Run&& run) {
  const Campaign campaign = parse_campaign(kRules, "rules.json");
  Catalog catalog = projects_catalog();
  const std::string path = temp_path("ledger.csv");
  Files out;
  {
    AtomicOutput ledger(path);
    SimulateResult result = run(donations, campaign, catalog, ledger);
    out.summary = std::move(result.summary);
    out.streamed = result.streamed;
    ledger.finish();
    ledger.publish();
  }
  out.ledger = read_file(path);
  std::remove(path.c_str());
  return out;
}

// The run the command makes, cut as `shape` says.
Files streamed(const std::string& donations, const StreamShape& shape = {}) {
  return written(donations, [&](const std::string& text, const Campaign& campaign, Catalog& catalog,
                                AtomicOutput& ledger) {
    return simulate_donations(text, "gifts.csv", campaign, catalog, ledger, {}, shape);
  });
}

// The whole stream read first, then allocated: the way sweeps and the
// library's users run, which the streamed run must equal.
Files whole(const std::string& donations) {
  return written(donations, [](const std::string& text, const Campaign& campaign, Catalog& catalog,
                               AtomicOutput& ledger) {
    return SimulateResult{simulate_whole_stream(text, "gifts.csv", campaign, catalog, ledger), false};
  });
}

constexpr const char* kHeader = "id,time,donor,project,amount,channel\n";

// `rows` donations over two local days, from 40 donors; in the last third,
// project p9 (not in the projects file) and the channels coins and steps.
std::string donations(int rows) {
  std::string text = kHeader;
  for (int i = 0; i < rows; ++i) {
    const bool late = i >= rows * 2 / 3;
    const int second = 10 * 3600 + i * 97;  // from 10:00 on the 7th, local: 1,200 rows cross a midnight
    const int in_day = second % 86400;
    char time[40];
    std::snprintf(time, sizeof time, "2017-09-%02dT%02d:%02d:%02d.%03d+08:00", 7 + second / 86400, in_day / 3600,
                  in_day / 60 % 60, in_day % 60, i % 1000);
    const std::string project = late && i % 5 == 0 ? "p9" : "p" + std::to_string(i % 3);
    const std::string channel = !late ? "" : i % 3 == 0 ? "coins" : i % 3 == 1 ? "steps" : "cash";
    text += "g" + std::to_string(i) + "," + time + ",u" + std::to_string(i * 7 % 40) + "," + project + "," +
            std::to_string(1 + i % 23) + "." + std::to_string(i % 10) + "," + channel + "\n";
  }
  return text;
}

TEST(StreamedSimulation, EqualsTheWholeStreamRunHoweverTheFileIsCut) {
  const std::string text = donations(1200);
  const Files expected = whole(text);
  // The platform pool runs out midway, so its exhausted_at comes from a later chunk.
  const nlohmann::json summary = nlohmann::json::parse(expected.summary);
  ASSERT_TRUE(summary["pools"][0]["exhausted_at"].is_string()) << expected.summary;
  ASSERT_GT(std::count(expected.ledger.begin(), expected.ledger.end(), '\n'), 1200);
  for (const StreamShape shape : {StreamShape{}, StreamShape{1, 1}, StreamShape{7, 64}, StreamShape{100, 3000}}) {
    const Files got = streamed(text, shape);
    EXPECT_TRUE(got.streamed) << shape.chunk_rows << " rows a chunk";
    EXPECT_TRUE(got.ledger == expected.ledger) << shape.chunk_rows << " rows a chunk: the ledgers differ";
    EXPECT_EQ(got.summary, expected.summary) << shape.chunk_rows << " rows a chunk";
  }
}

TEST(StreamedSimulation, AFileOfAHeaderAloneIsStreamedToAnEmptyLedger) {
  const Files got = streamed(kHeader);
  EXPECT_TRUE(got.streamed);
  EXPECT_EQ(got.ledger, whole(kHeader).ledger);
  EXPECT_EQ(got.summary, whole(kHeader).summary);
  EXPECT_EQ(nlohmann::json::parse(got.summary)["donations"], 0);
}

TEST(StreamedSimulation, ADuplicateIdLateInTheFileReadsItAgainWhole) {
  // The duplicate comes after rows were allocated and written: none of them may stay.
  const std::string text = donations(600) + "g3,2017-09-08T10:00:00+08:00,u1,p0,5,\n";
  const Files expected = whole(text);
  ASSERT_EQ(nlohmann::json::parse(expected.summary)["duplicates"], 1);
  for (const StreamShape shape : {StreamShape{}, StreamShape{5, 100}}) {
    const Files got = streamed(text, shape);
    EXPECT_FALSE(got.streamed);
    EXPECT_TRUE(got.ledger == expected.ledger) << shape.chunk_rows << " rows a chunk: the ledgers differ";
    EXPECT_EQ(got.summary, expected.summary);
  }
}

std::optional<Error> streamed_error(const std::string& rows) {
  return error_of([&] { streamed(std::string(kHeader) + rows, StreamShape{1, 1}); });
}

::testing::AssertionResult InputErrorAt(const std::optional<Error>& e, std::size_t line, const std::string& column) {
  if (!e) return ::testing::AssertionFailure() << "no error was thrown";
  const std::string want = "gifts.csv, line " + std::to_string(line) + ", column " + column + ":";
  if (e->kind() != ErrorKind::input || std::string(e->what()).rfind(want, 0) != 0)
    return ::testing::AssertionFailure() << "\"" << e->what() << "\" is not an input error starting \"" << want << "\"";
  return ::testing::AssertionSuccess();
}

TEST(StreamedSimulation, ErrorsComeInFileOrderAsIfTheWholeFileWereReadFirst) {
  const std::string ok = "a,2017-09-07T10:00:00+08:00,u1,p0,5,\nb,2017-09-07T10:00:01+08:00,u2,p1,6,\n";
  // A bad row after rows were allocated: that row's error.
  EXPECT_TRUE(InputErrorAt(streamed_error(ok + "c,2017-09-07T25:00:00+08:00,u1,p0,5,\n"), 4, "time"));
  // A total donated past int64 (minor units: 2) on line 4 comes before a bad time on line 5.
  const std::string too_much = "c,2017-09-07T10:00:02+08:00,u3,p1,92233720368547758.07,\n";
  EXPECT_TRUE(InputErrorAt(streamed_error(ok + too_much + "d,yesterday,u1,p0,5,\n"), 4, "amount"));
  // A base past int64 (edu triples the amount above 10): the allocation
  // error at its line, unless a row after it does not parse, which SPEC 8
  // reports first.
  const std::string huge_base = "c,2017-09-07T10:00:02+08:00,u3,p0,50000000000000000.00,\n";
  EXPECT_TRUE(InputErrorAt(streamed_error(ok + huge_base), 4, "amount"));
  EXPECT_TRUE(InputErrorAt(streamed_error(ok + huge_base + "d,2017-09-07T10:00:03+08:00,u1,p0,-5,\n"), 5, "amount"));
}

}  // namespace
}  // namespace matchfund
