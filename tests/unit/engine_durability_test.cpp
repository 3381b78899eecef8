// The data directory: the journal and snapshots give back exactly the
// accepted changes; damage at the tail is cut and reported, damage before it
// is an error.
#include <gtest/gtest.h>

#include <filesystem>
#include <cstring>
#include <fstream>
#include <iterator>

#include "engine/engine.hpp"
#include "unit/engine_test_support.hpp"

namespace fs = std::filesystem;
using namespace matchfund;
using namespace matchfund::test_support;

namespace {

constexpr Micros kT0 = 1'504'746'000 * kMicrosPerSecond;
constexpr Micros kMinute = 60 * kMicrosPerSecond;

std::string slurp_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Where the third record of a journal starts: after the header and two frames.
std::size_t third_record_offset(const std::string& journal) {
  std::size_t at = 28;
  for (int r = 0; r < 2; ++r) {
    std::uint32_t length = 0;
    std::memcpy(&length, journal.data() + at, 4);
    at += 8 + length;
  }
  return at;
}

class EngineDurability : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/matchfund-durability-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Options options(FsyncPolicy policy = FsyncPolicy::every_call) const {
    Options o;
    o.rules_json = kTwoPoolRules;
    o.data_dir = dir_;
    o.fsync = policy;
    o.snapshot_every = 0;
    return o;
  }
  std::unique_ptr<Engine> open(const Options& o) {
    auto opened = Engine::open(o);
    EXPECT_TRUE(opened.ok()) << opened.message();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  std::string state(const Engine& e) {
    std::string s = state_of(e, {"ann", "bob", "cat", "dan"}, {"school", "park"});
    for (const char* id : {"a", "b", "c", "d", "e"}) {
      auto x = e.explain(id);
      s += std::string(id) + (x.ok() ? " " + std::string(hold_state_name(x->state)) + " " +
                                           std::to_string(x->total) + " " + std::to_string(x->deadline)
                                     : " none") + "\n";
    }
    return s;
  }
  // Eleven accepted changes and some refused ones, touching every kind of record.
  static void run_script(Engine& e) {
    ASSERT_TRUE(e.reserve({"a", "ann", "school", "", 2000, kT0}).ok());
    ASSERT_TRUE(e.reserve({"b", "bob", "park", "coins", 1500, kT0 + kMinute}).ok());
    ASSERT_TRUE(e.confirm("a", kT0 + 2 * kMinute).ok());
    EXPECT_FALSE(e.confirm("zzz", kT0 + 2 * kMinute).ok());  // refused: not journaled
    ASSERT_TRUE(e.extend("b", kT0 + 3 * kMinute).ok());
    ASSERT_TRUE(e.reserve({"c", "cat", "school", "", 900, kT0 + 4 * kMinute}).ok());
    ASSERT_TRUE(e.top_up("kids", 700).ok());
    ASSERT_TRUE(e.refund("a", kT0 + 5 * kMinute).ok());
    ASSERT_TRUE(e.reserve({"d", "dan", "park", "", 3100, kT0 + 6 * kMinute}).ok());
    ASSERT_TRUE(e.freeze("park", false).ok());
    EXPECT_FALSE(e.reserve({"e", "dan", "park", "", 100, kT0 + 6 * kMinute}).ok());  // frozen
    ASSERT_TRUE(e.advance(kT0 + 15 * kMinute).ok());  // "c" lapses
    ASSERT_TRUE(e.reserve({"e", "ann", "school", "", 100, kT0 + 16 * kMinute}).ok());
  }
  std::string journal_path() const {
    for (const auto& entry : fs::directory_iterator(dir_))
      if (entry.path().filename().string().rfind("journal-", 0) == 0) return entry.path().string();
    return "";
  }

  std::string dir_;
};

}  // namespace

TEST_F(EngineDurability, ReopeningReplaysExactlyTheAcceptedChanges) {
  for (FsyncPolicy policy : {FsyncPolicy::every_call, FsyncPolicy::interval, FsyncPolicy::off}) {
    fs::remove_all(dir_);
    std::string before;
    {
      auto e = open(options(policy));
      run_script(*e);
      before = state(*e);
      EXPECT_NE(before.find("c expired"), std::string::npos);
    }
    auto e = open(options(policy));
    EXPECT_EQ(e->recovery().records_replayed, 11u);
    EXPECT_FALSE(e->recovery().from_snapshot);
    EXPECT_EQ(state(*e), before);
    EXPECT_EQ(e->reserve({"a", "ann", "school", "", 100, kT0 + 17 * kMinute}).code(), Code::duplicate);
  }
}

TEST_F(EngineDurability, ASnapshotAndTheJournalAfterItGiveTheSameState) {
  std::string before;
  {
    auto e = open(options());
    ASSERT_TRUE(e->reserve({"x", "ann", "school", "", 500, kT0 - kMinute}).ok());
    ASSERT_TRUE(e->snapshot().ok());
    run_script(*e);
    before = state(*e);
  }
  auto e = open(options());
  EXPECT_TRUE(e->recovery().from_snapshot);
  EXPECT_EQ(e->recovery().records_replayed, 11u);
  EXPECT_EQ(state(*e), before);
  // Only the newest generation is kept.
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"journal-1", "lock", "snapshot-1"}));
  // The cap counters are rebuilt: of ann's donations only "e" (1.00) is still held, the rest released.
  auto quoted = e->quote({"q", "ann", "school", "", 3000, kT0 + 17 * kMinute});
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(quoted->grants[0].amount, 2900);
  EXPECT_EQ(quoted->grants[0].limit, "per_donor");
}

TEST_F(EngineDurability, AutomaticSnapshotsKeepTheState) {
  std::string before;
  Options o = options();
  o.snapshot_every = 3;
  {
    auto e = open(o);
    run_script(*e);
    before = state(*e);
  }
  auto e = open(o);
  EXPECT_TRUE(e->recovery().from_snapshot);
  EXPECT_EQ(e->recovery().records_replayed, 11u % 3);
  EXPECT_EQ(state(*e), before);
}

TEST_F(EngineDurability, ATornTailIsReportedAndCut) {
  std::string before;
  {
    auto e = open(options());
    run_script(*e);
    before = state(*e);
  }
  const auto size = fs::file_size(journal_path());
  {
    std::ofstream out(journal_path(), std::ios::binary | std::ios::app);
    out.write("\x30\x00\x00\x00\x12\x34", 6);  // a frame promising 48 bytes, cut short
  }
  {
    auto e = open(options());
    EXPECT_EQ(e->recovery().torn_bytes, 6u);
    EXPECT_NE(e->recovery().note.find("at byte " + std::to_string(size)), std::string::npos) << e->recovery().note;
    EXPECT_EQ(state(*e), before);
    ASSERT_TRUE(e->reserve({"f", "bob", "school", "", 100, kT0 + 20 * kMinute}).ok());
  }
  auto e = open(options());
  EXPECT_EQ(e->recovery().torn_bytes, 0u);
  EXPECT_EQ(e->recovery().records_replayed, 12u);
}

TEST_F(EngineDurability, DamageBeforeTheLastRecordIsAnError) {
  { run_script(*open(options())); }
  const std::string path = journal_path();
  {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(28 + 8 + 3);  // header, frame, then inside the first record's time
    f.put('\x7f');
  }
  auto opened = Engine::open(options());
  EXPECT_EQ(opened.code(), Code::corrupt);
  EXPECT_NE(opened.message().find(path), std::string::npos);
  EXPECT_NE(opened.message().find("record 1 at byte 28 is damaged"), std::string::npos) << opened.message();
}

TEST_F(EngineDurability, ADataDirectoryBelongsToItsRules) {
  { run_script(*open(options())); }
  Options other = options();
  other.rules_json = R"({"pools": [{"id": "main", "budget": "100", "match": {"ratio": "1"}}]})";
  auto opened = Engine::open(other);
  EXPECT_EQ(opened.code(), Code::corrupt);
  EXPECT_NE(opened.message().find("other rules"), std::string::npos) << opened.message();
}

TEST_F(EngineDurability, OneEngineAtATimePerDirectory) {
  auto first = open(options());
  auto second = Engine::open(options());
  EXPECT_EQ(second.code(), Code::in_use);
  EXPECT_NE(second.message().find("another engine"), std::string::npos);
  first.reset();
  EXPECT_TRUE(Engine::open(options()).ok());
}

TEST_F(EngineDurability, ADataDirectoryThatIsAFileIsAnIoError) {
  const std::string file = dir_ + "/plain-file";
  std::ofstream(file) << "x";
  Options o = options();
  o.data_dir = file;
  EXPECT_EQ(Engine::open(o).code(), Code::io_error);
}

TEST_F(EngineDurability, AHoleIsTheEndOfWhatWasSynced) {
  // Pages written back out of order before a power loss leave zeros and then
  // records that were never synced: recovery keeps what is before the hole.
  std::string after_two;
  {
    auto e = open(options());
    ASSERT_TRUE(e->reserve({"x1", "ann", "school", "", 2000, kT0 - kMinute}).ok());
    ASSERT_TRUE(e->reserve({"x2", "bob", "park", "", 1500, kT0 - kMinute}).ok());
    after_two = state(*e);
    run_script(*e);
  }
  const std::string path = journal_path();
  std::string bytes = slurp_file(path);
  const std::size_t third = third_record_offset(bytes);
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(third), bytes.begin() + static_cast<std::ptrdiff_t>(third) + 8, '\0');
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  auto e = open(options());
  EXPECT_EQ(e->recovery().records_replayed, 2u);
  EXPECT_NE(e->recovery().note.find("after a hole"), std::string::npos) << e->recovery().note;
  EXPECT_EQ(state(*e), after_two);
}

TEST_F(EngineDurability, RecoveryReplaysUnderTheLimitsOfItsDay) {
  Options loose = options();
  loose.max_time_lag = -1;
  {
    auto e = open(loose);
    ASSERT_TRUE(e->reserve({"a", "ann", "school", "", 2000, kT0 + 10 * 3600 * kMicrosPerSecond}).ok());
    ASSERT_TRUE(e->reserve({"b", "bob", "school", "", 2000, kT0}).ok());  // ten hours behind the clock
  }
  auto e = open(options());  // the default one-hour lag applies to new calls only
  EXPECT_EQ(e->recovery().records_replayed, 2u);
  EXPECT_EQ(e->reserve({"c", "cat", "school", "", 100, kT0}).code(), Code::stale_time);
}
