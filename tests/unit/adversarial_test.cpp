// Adversarial and oversized inputs at the engine level (docs/reliability.md):
// each is refused with an Error of the documented kind that names the file and
// place, or, where the contract allows it, read exactly. The command-line
// cases (huge files, full disk, signals) are in adversarial_cli_test.cpp.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/allocator.hpp"
#include "engine/events.hpp"
#include "engine/file_io.hpp"
#include "engine/ledger.hpp"
#include "engine/ingest.hpp"
#include "engine/limits.hpp"
#include "engine/plan.hpp"
#include "engine/rule_node.hpp"
#include "engine/rules.hpp"
#include "engine/settlement/contributions.hpp"
#include "engine/settlement/settlement_rules.hpp"
#include "engine/simulation.hpp"
#include "unit/test_support.hpp"

namespace {

using namespace matchfund;
using test_support::error_of;
namespace fs = std::filesystem;

// Sets limits for one test and restores the previous ones.
class ScopedLimits {
 public:
  explicit ScopedLimits(const InputLimits& limits) : saved_(input_limits()) { set_input_limits(limits); }
  ~ScopedLimits() { set_input_limits(saved_); }

 private:
  InputLimits saved_;
};

const std::string kHeader = "id,time,donor,project,amount\n";
constexpr const char* kRules = R"({"pools": [{"id": "m", "budget": "100", "match": {"ratio": "1"}}]})";

std::optional<Error> donations_error(const std::string& text, int minor_units = 2) {
  return error_of([&] {
    Catalog catalog;
    read_donations(text, "gifts.csv", minor_units, catalog);
  });
}

std::optional<Error> rules_error(const std::string& text) {
  return error_of([&] { parse_campaign(text, "rules.json"); });
}

// The error is of `kind` and its message starts with `place` and holds `words`.
::testing::AssertionResult Refused(const std::optional<Error>& e, ErrorKind kind, const std::string& place,
                                   const std::string& words = "") {
  if (!e) return ::testing::AssertionFailure() << "no error";
  const std::string what = e->what();
  if (e->kind() != kind) return ::testing::AssertionFailure() << "kind " << e->exit_status() << ": " << what;
  if (what.rfind(place, 0) != 0) return ::testing::AssertionFailure() << "does not start with '" << place << "': " << what;
  if (what.find(words) == std::string::npos) return ::testing::AssertionFailure() << "lacks '" << words << "': " << what;
  return ::testing::AssertionSuccess();
}

std::string row(const std::string& id, const std::string& donor = "u1", const std::string& amount = "1") {
  return id + ",2017-09-07T09:00:00Z," + donor + ",p1," + amount + "\n";
}

// A temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/matchfund-adversarial-XXXXXX";
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// ------------------------------------------------------------------ CSV sizes

TEST(AdversarialCsv, RecordLongerThanTheLimitNamesItsLine) {
  InputLimits limits;
  limits.max_line_bytes = 64;
  ScopedLimits scoped(limits);
  // The record spans lines inside quotes, so only the record check sees it.
  const std::string text = kHeader + row("d1") + "\"d2\n" + std::string(30, 'x') + "\n" + std::string(30, 'y') +
                           "\",2017-09-07T09:00:00Z,u1,p1,1\n";
  EXPECT_TRUE(Refused(donations_error(text), ErrorKind::input, "gifts.csv, line 3:", "max_line_bytes"));
  // At the limit it is read.
  EXPECT_FALSE(donations_error(kHeader + row(std::string(64 - row("").size(), 'i'))));
}

TEST(AdversarialCsv, TenMegabyteFieldIsRefusedWhileReadingTheFile) {
  TempDir dir;
  const std::string path = dir.file("gifts.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << kHeader << row("d1") << std::string(10 << 20, 'x') << ",2017-09-07T09:00:00Z,u1,p1,1\n";
  }
  EXPECT_TRUE(Refused(error_of([&] { read_csv_file(path); }), ErrorKind::input, path + ", line 3:",
                      "longer than the limit of 1048576 bytes (max_line_bytes"));
  // The same field given to the reader directly is refused as a record.
  const std::string text = kHeader + std::string(10 << 20, 'x') + ",2017-09-07T09:00:00Z,u1,p1,1\n";
  EXPECT_TRUE(Refused(donations_error(text), ErrorKind::input, "gifts.csv, line 2:", "max_line_bytes"));
}

TEST(AdversarialCsv, LongLastLineWithoutLineFeedIsRefused) {
  // The long line is the last one and has no line feed.
  TempDir dir;
  const std::string path = dir.file("gifts.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << kHeader << row("d1") << std::string((1 << 20) + 1, 'x');
  }
  EXPECT_TRUE(Refused(error_of([&] { read_csv_file(path); }), ErrorKind::input, path + ", line 3:", "max_line_bytes"));
  // A file of lines at most the limit reads whole.
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(1 << 20, 'x') << "\n" << std::string(1 << 20, 'y');
  }
  EXPECT_EQ(read_csv_file(path).size(), (std::size_t{2} << 20) + 1);
}

TEST(AdversarialCsv, IdOfOneHundredThousandCharactersNamesItsColumn) {
  const std::string long_id(100'000, 'a');
  EXPECT_TRUE(Refused(donations_error(kHeader + row(long_id)), ErrorKind::input, "gifts.csv, line 2, column id:",
                      "max_id_bytes"));
  EXPECT_TRUE(Refused(donations_error(kHeader + row("d1", long_id)), ErrorKind::input,
                      "gifts.csv, line 2, column donor:", "max_id_bytes"));
  EXPECT_TRUE(Refused(donations_error(kHeader + "d1,2017-09-07T09:00:00Z,u1," + long_id + ",1\n"), ErrorKind::input,
                      "gifts.csv, line 2, column project:", "max_id_bytes"));
  EXPECT_TRUE(Refused(donations_error("id,time,donor,project,amount,channel\nd1,2017-09-07T09:00:00Z,u1,p1,1," +
                                      long_id + "\n"),
                      ErrorKind::input, "gifts.csv, line 2, column channel:", "max_id_bytes"));
  Catalog catalog;
  EXPECT_TRUE(Refused(error_of([&] { read_projects("project,category,org\np1,c," + long_id + "\n", "projects.csv", catalog); }),
                      ErrorKind::input, "projects.csv, line 2, column org:", "max_id_bytes"));
  EXPECT_TRUE(Refused(error_of([&] { read_contributions("donor,project,amount\n" + long_id + ",p,1\n", "votes.csv", {}); }),
                      ErrorKind::input, "votes.csv, line 2, column donor:", "max_id_bytes"));
  Catalog events_catalog;
  EXPECT_TRUE(Refused(error_of([&] {
                        read_events("op,time,id,donor,project,amount\nconfirm,2017-09-07T09:00:00Z," + long_id + ",,,\n",
                                    "events.csv", 2, events_catalog);
                      }),
                      ErrorKind::input, "events.csv, line 2, column id:", "max_id_bytes"));
  // An id at the limit is read.
  EXPECT_FALSE(donations_error(kHeader + row(std::string(input_limits().max_id_bytes, 'a'))));
}

TEST(AdversarialCsv, IdsWithNulBytesAreComparedByteForByte) {
  using namespace std::string_literals;
  const std::string text = kHeader + row("a\0b"s, "u\0"s) + row("a\0c"s, "u\0"s) + row("a\0b"s, "u\0"s);
  Catalog catalog;
  DonationStream s = read_donations(text, "gifts.csv", 2, catalog);
  ASSERT_EQ(s.size(), 2u);  // not cut at the NUL: two ids, then a duplicate
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.id(0), "a\0b"s);
  EXPECT_EQ(s.id(1), "a\0c"s);
  EXPECT_EQ(catalog.donors.size(), 1u);
  EXPECT_EQ(catalog.donors.name(0), "u\0"s);
}

TEST(AdversarialCsv, InvalidUtf8InAnIdNamesTheLine) {
  EXPECT_TRUE(Refused(donations_error(kHeader + row("d1") + row("d\xC0\xAF")), ErrorKind::input, "gifts.csv, line 3:",
                      "UTF-8"));
  EXPECT_TRUE(Refused(donations_error(kHeader + row("d1", "\xED\xA0\x80")), ErrorKind::input, "gifts.csv, line 2:",
                      "UTF-8"));  // a surrogate
}

TEST(AdversarialCsv, ByteOrderMarkTruncatedLastLineAndEmptyFile) {
  Catalog catalog;
  DonationStream s = read_donations(std::string("\xEF\xBB\xBF") + kHeader + "d1,2017-09-07T09:00:00Z,u1,p1,1",
                                    "gifts.csv", 2, catalog);
  EXPECT_EQ(s.size(), 1u);  // a BOM is skipped; a last line without a line feed is a whole row
  EXPECT_TRUE(Refused(donations_error(std::string(kHeader) + "d1,2017-09-07T09:00:00Z,u1"), ErrorKind::input,
                      "gifts.csv, line 2:", "expected 5 fields"));
  EXPECT_TRUE(Refused(donations_error(std::string(kHeader) + "d1,2017-09-07T09:00:00Z,u1,p1,\"1"), ErrorKind::input,
                      "gifts.csv, line 2:", "unclosed quote"));
  EXPECT_TRUE(Refused(donations_error(""), ErrorKind::input, "gifts.csv, line 1:", "empty"));
  EXPECT_TRUE(Refused(error_of([&] { read_projects("", "projects.csv", catalog); }), ErrorKind::input,
                      "projects.csv, line 1:", "empty"));
  EXPECT_TRUE(Refused(error_of([&] { read_contributions("", "votes.csv", {}); }), ErrorKind::input, "votes.csv, line 1:",
                      "empty"));
}

TEST(AdversarialCsv, MoreProjectsThanTheLimitNamesTheLine) {
  InputLimits limits;
  limits.max_projects = 3;
  ScopedLimits scoped(limits);
  Catalog catalog;
  EXPECT_TRUE(Refused(error_of([&] { read_projects("project\na\nb\nc\nd\n", "projects.csv", catalog); }),
                      ErrorKind::input, "projects.csv, line 5, column project:", "max_projects"));
  std::string text = kHeader;
  for (const char* p : {"a", "b", "a", "c", "d"}) text += std::string("d") + p + std::to_string(text.size()) + ",2017-09-07T09:00:00Z,u1," + p + ",1\n";
  EXPECT_TRUE(Refused(donations_error(text), ErrorKind::input, "gifts.csv, line 6, column project:", "max_projects"));
}

// ------------------------------------------------------------------ amounts

TEST(AdversarialAmounts, AtAndBeyondInt64MinorUnits) {
  Catalog catalog;
  DonationStream s = read_donations(kHeader + row("d1", "u1", "92233720368547758.07"), "gifts.csv", 2, catalog);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.amount[0], kMinorMax);
  EXPECT_TRUE(Refused(donations_error(kHeader + row("d1", "u1", "92233720368547758.08")), ErrorKind::input,
                      "gifts.csv, line 2, column amount:"));
  EXPECT_FALSE(donations_error(kHeader + row("d1", "u1", "9223372036854775807"), 0));
  EXPECT_TRUE(Refused(donations_error(kHeader + row("d1", "u1", "9223372036854775808"), 0), ErrorKind::input,
                      "gifts.csv, line 2, column amount:"));
  EXPECT_TRUE(Refused(donations_error(kHeader + row("d1", "u1", std::string(400, '9'))), ErrorKind::input,
                      "gifts.csv, line 2, column amount:"));
  // Two amounts that fit, whose total does not.
  EXPECT_TRUE(Refused(donations_error(kHeader + row("d1", "u1", "92233720368547758.07") + row("d2", "u1", "0.01")),
                      ErrorKind::input, "gifts.csv, line 3, column amount:", "total donated"));
}

TEST(AdversarialAmounts, MatchPastInt64IsAnInputErrorAtTheLine) {
  Campaign campaign = parse_campaign(
      R"({"pools": [{"id": "m", "budget": "92233720368547758.07", "match": {"ratio": "2"}}]})", "rules.json");
  Catalog catalog;
  DonationStream s = read_donations(kHeader + row("d1") + row("d2", "u1", "50000000000000000"), "gifts.csv", 2, catalog);
  Plan plan(campaign, catalog);
  Allocator allocator(plan, catalog);
  VectorSink sink;
  EXPECT_TRUE(Refused(error_of([&] { run_allocation(allocator, s, sink); }), ErrorKind::input,
                      "gifts.csv, line 3, column amount:", "does not fit"));
}

TEST(AdversarialRules, BudgetsWhoseSumOverflowsNameThePools) {
  EXPECT_TRUE(Refused(rules_error(R"({"pools": [
      {"id": "a", "budget": "92233720368547758.07", "match": {"ratio": "1"}},
      {"id": "b", "budget": "0.01", "match": {"ratio": "1"}}]})"),
                      ErrorKind::rules, "rules.json: pools:", "64-bit"));
  EXPECT_TRUE(Refused(rules_error(R"({"pools": [{"id": "a", "budget": "92233720368547758.08", "match": {"ratio": "1"}}]})"),
                      ErrorKind::rules, "rules.json: pools[0].budget:"));
  EXPECT_TRUE(Refused(rules_error(R"({"pools": [{"id": "a", "budget": "1", "match": {"ratio": "9223372036854.775808"}}]})"),
                      ErrorKind::rules, "rules.json: pools[0].match.ratio:", "too large"));
}

// ------------------------------------------------------------------ JSON

TEST(AdversarialRules, DeepNestingIsRefusedAtItsPathWithoutExhaustingTheStack) {
  const std::size_t depth = 1'000'000;
  const std::string deep = R"({"pools": [{"id": "m", "budget": "1", "match": {"ratio": "1"}, "x": )" +
                           std::string(depth, '[') + std::string(depth, ']') + "}]}";
  EXPECT_TRUE(Refused(rules_error(deep), ErrorKind::rules, "rules.json: pools[0].x[0][0]", "max_json_depth"));
  // Unclosed, as an attacker might send it.
  EXPECT_TRUE(Refused(rules_error(std::string(depth, '{') ), ErrorKind::rules, "rules.json:"));
  EXPECT_TRUE(Refused(rules_error(std::string(depth, '[')), ErrorKind::rules, "rules.json: [0][0]", "max_json_depth"));
  // Nesting up to the limit reaches the checks of the contract.
  InputLimits limits;
  limits.max_json_depth = 4;
  ScopedLimits scoped(limits);
  EXPECT_TRUE(Refused(rules_error(R"({"pools": [{"id": "m", "budget": "1", "match": {"ratio": "1"}, "x": [1]}]})"),
                      ErrorKind::rules, "rules.json: pools[0].x:", "unknown key"));
  EXPECT_TRUE(Refused(rules_error(R"({"pools": [{"id": "m", "budget": "1", "match": {"ratio": "1"}, "x": [[1]]}]})"),
                      ErrorKind::rules, "rules.json: pools[0].x[0]:", "max_json_depth"));
}

TEST(AdversarialRules, HundredMegabyteRulesFileIsRefusedBeforeItIsRead) {
  TempDir dir;
  const std::string path = dir.file("rules.json");
  {
    // Sparse: 100 MB that take no disk space.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, 100 << 20), 0);
    ::close(fd);
  }
  EXPECT_TRUE(Refused(error_of([&] { read_rules_file(path); }), ErrorKind::rules, path + ":",
                      "larger than the limit of 16777216 bytes (max_rules_bytes"));
  // Text given to the parser directly is held to the same limit.
  const std::string big = "[" + std::string((16 << 20) + 1, ' ') + "]";
  EXPECT_TRUE(Refused(rules_error(big), ErrorKind::rules, "rules.json:", "max_rules_bytes"));
}

// Found by settlement_rules_fuzz: nlohmann-json throws out_of_range, not
// parse_error, for a number past the range of a double; it escaped as an
// uncaught exception (the command aborted) instead of exit 2.
TEST(AdversarialRules, NumberPastTheRangeOfADoubleIsARulesError) {
  EXPECT_TRUE(Refused(rules_error(R"({"seed": 1e400, "pools": []})"), ErrorKind::rules, "rules.json: not valid JSON:",
                      "number overflow"));
  EXPECT_TRUE(Refused(error_of([] { parse_settlement_rules(R"({"pools": -1e999})", "round.json"); }), ErrorKind::rules,
                      "round.json: not valid JSON:", "number overflow"));
}

TEST(AdversarialRules, DuplicateKeysNameTheirObject) {
  EXPECT_TRUE(Refused(rules_error(R"({"pools": [{"id": "m", "budget": "1", "budget": "2", "match": {"ratio": "1"}}]})"),
                      ErrorKind::rules, "rules.json: pools[0]:", "appears twice"));
  EXPECT_TRUE(Refused(rules_error(R"({"pools": [], "pools": []})"), ErrorKind::rules, "rules.json: (top level):",
                      "appears twice"));
}

TEST(AdversarialRules, MorePoolsThanTheLimitNameTheFirstOneOver) {
  std::string pools;
  for (int i = 0; i <= 1000; ++i)
    pools += std::string(i ? "," : "") + R"({"id": "p)" + std::to_string(i) + R"(", "budget": "1", "match": {"ratio": "1"}})";
  EXPECT_TRUE(Refused(rules_error(R"({"pools": [)" + pools + "]}"), ErrorKind::rules, "rules.json: pools[1000]:",
                      "max_pools"));
  // The settlement rules share the parser and the limit.
  EXPECT_TRUE(Refused(error_of([&] { parse_settlement_rules(R"({"pools": [)" + pools + "]}", "round.json"); }),
                      ErrorKind::rules, "round.json: pools[1000]:", "max_pools"));
}

// ------------------------------------------------------------------ scale

// 10 million distinct donors with a per-donor cap (1 million under the
// sanitizers, which run about ten times slower): the counters are dense
// arrays by donor, so each donor's cap holds and the pool stops at its budget.
TEST(AdversarialScale, TenMillionDistinctDonors) {
#if defined(__SANITIZE_ADDRESS__)
  const std::uint32_t n = 1'000'000;
#else
  const std::uint32_t n = 10'000'000;
#endif
  Campaign campaign = parse_campaign(
      R"({"pools": [{"id": "m", "budget": ")" + std::to_string(n / 2) +
          R"(", "match": {"ratio": "2"}, "caps": {"per_donor": {"amount": "1", "per": "day"}}}]})",
      "rules.json");
  Catalog catalog;
  catalog.project("p1");
  std::vector<std::uint32_t> donor(n), zeros(n, 0);
  std::vector<Micros> time(n, 1'504'774'800'000'000);  // 2017-09-07T09:00:00Z
  std::vector<Minor> amount(n, 100);                   // 1.00, which a ratio of 2 makes a base of 2.00
  std::vector<std::uint64_t> hash(n);
  std::string name;
  for (std::uint32_t i = 0; i < n; ++i) {
    name = "u" + std::to_string(i);
    donor[i] = catalog.donors.intern(name).first;
    hash[i] = i;
  }
  ASSERT_EQ(catalog.donors.size(), n);
  Plan plan(campaign, catalog);
  Allocator allocator(plan, catalog);
  struct Count {
    std::uint64_t rows = 0, capped = 0;
    Minor granted = 0;
    void row(std::uint64_t, std::uint32_t, Minor, Minor grant, LimitId) {
      ++rows;
      granted += grant;
      capped += grant == 100;
    }
  } sink;
  DonationInput in;
  in.size = n;
  in.time = time.data();
  in.donor = donor.data();
  in.project = zeros.data();
  in.channel = zeros.data();
  in.amount = amount.data();
  in.id_hash = hash.data();
  ASSERT_EQ(allocator.allocate(in, 0, sink), Allocator::kNoError);
  EXPECT_EQ(sink.rows, n);
  EXPECT_EQ(sink.capped, n / 2);  // each donor gets its cap of 1.00 until the pool is spent
  EXPECT_EQ(sink.granted, Minor{n / 2} * 100);
  EXPECT_EQ(allocator.pool_states()[0].granted, Minor{n / 2} * 100);
}

// ------------------------------------------------------------------ files

TEST(AdversarialFiles, DirectoryUnreadableAndFailingReadsAreIoErrors) {
  TempDir dir;
  EXPECT_TRUE(Refused(error_of([&] { read_csv_file(dir.file("")); }), ErrorKind::io, "cannot read", "Is a directory"));
  EXPECT_TRUE(Refused(error_of([&] { read_rules_file(dir.file("missing.json")); }), ErrorKind::io, "cannot read",
                      "No such file"));
  // /proc/self/mem fails its first read (EIO): a read that fails midway.
  EXPECT_TRUE(Refused(error_of([&] { read_csv_file("/proc/self/mem"); }), ErrorKind::io, "cannot read '/proc/self/mem'"));
}

TEST(AdversarialLimits, EnvironmentOverridesAndRefusesNonsense) {
  ::setenv("MATCHFUND_MAX_ID_BYTES", "7", 1);
  ::setenv("MATCHFUND_MAX_POOLS", "2", 1);
  InputLimits limits = limits_from_environment(InputLimits{});
  EXPECT_EQ(limits.max_id_bytes, 7u);
  EXPECT_EQ(limits.max_pools, 2u);
  EXPECT_EQ(limits.max_line_bytes, InputLimits{}.max_line_bytes);
  ::setenv("MATCHFUND_MAX_POOLS", "0", 1);
  EXPECT_TRUE(Refused(error_of([] { limits_from_environment(InputLimits{}); }), ErrorKind::usage,
                      "the environment variable MATCHFUND_MAX_POOLS=0"));
  ::setenv("MATCHFUND_MAX_POOLS", "12x", 1);
  EXPECT_TRUE(Refused(error_of([] { limits_from_environment(InputLimits{}); }), ErrorKind::usage,
                      "the environment variable MATCHFUND_MAX_POOLS=12x"));
  ::unsetenv("MATCHFUND_MAX_ID_BYTES");
  ::unsetenv("MATCHFUND_MAX_POOLS");
}

}  // namespace
