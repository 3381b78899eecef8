// The real `matchfund` binary (SPEC 5 command line, SPEC 8 errors): exit
// statuses, error messages naming the file and place, no output unless the
// whole run succeeds, '-' for standard input and output.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include "unit/test_support.hpp"

namespace {

namespace fs = std::filesystem;

struct Result {
  int status = -1;  // exit status, or -1 when the process did not exit normally
  std::string out;
  std::string err;
};

using matchfund::test_support::slurp;

constexpr const char* kRules = R"({"pools": [{"id": "m", "budget": "100", "match": {"ratio": "1"}}]})";
constexpr const char* kDonations =
    "id,time,donor,project,amount\n"
    "d1,2017-09-07T09:00:00Z,u1,p1,10\n"
    "d2,2017-09-07T10:00:00Z,u2,p1,95.5\n";
// d1: base 10, granted 10. d2: base 95.50, the pool has 90 left: granted 90.00, limit pool.
constexpr const char* kLedger =
    "donation,pool,base,granted,limit\n"
    "d1,m,10.00,10.00,none\n"
    "d2,m,95.50,90.00,pool\n";

// Each test gets its own directory (test_support.hpp: ScratchDirTest).
class Cli : public matchfund::test_support::ScratchDirTest {
 protected:
  void write_defaults() const {
    write("rules.json", kRules);
    write("donations.csv", kDonations);
  }

  // Runs the binary with `args`, feeding `input` on standard input.
  Result run(const std::vector<std::string>& args, const std::string& input = "") const {
    const fs::path in = root_ / "io" / "stdin", out = root_ / "io" / "stdout", err = root_ / "io" / "stderr";
    {
      std::ofstream f(in, std::ios::binary);
      f << input;
    }
    const std::string tmpdir = (root_ / "tmp").string();
    pid_t pid = ::fork();
    if (pid == 0) {
      int fd_in = ::open(in.c_str(), O_RDONLY);
      int fd_out = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int fd_err = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd_in < 0 || fd_out < 0 || fd_err < 0) ::_exit(127);
      ::dup2(fd_in, 0);
      ::dup2(fd_out, 1);
      ::dup2(fd_err, 2);
      ::setenv("TMPDIR", tmpdir.c_str(), 1);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(MATCHFUND_BINARY));
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(MATCHFUND_BINARY, argv.data());
      ::_exit(126);
    }
    Result r;
    if (pid < 0) return r;
    int status = 0;
    if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) r.status = WEXITSTATUS(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  // The usual simulate arguments, with outputs ledger.csv and summary.json in work/.
  std::vector<std::string> simulate_args() const {
    return {"simulate", "--rules", path("rules.json"), "--donations", path("donations.csv"),
            "--ledger",  path("ledger.csv"), "--summary", path("summary.json")};
  }
};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const std::set<std::string> kInputsOnly = {"rules.json", "donations.csv"};

// ------------------------------------------------------------------ success

TEST_F(Cli, SimulateWritesLedgerAndSummary) {
  write_defaults();
  Result r = run(simulate_args());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(slurp(path("ledger.csv")), kLedger);
  nlohmann::json s = nlohmann::json::parse(slurp(path("summary.json")));
  EXPECT_EQ(s["donations"], 2);
  EXPECT_EQ(s["duplicates"], 0);
  EXPECT_EQ(s["donated"], "105.50");  // 10 + 95.5
  EXPECT_EQ(s["matched"], "100.00");
  EXPECT_EQ(s["pools"][0]["id"], "m");
  EXPECT_EQ(s["pools"][0]["budget"], "100.00");
  EXPECT_EQ(s["pools"][0]["granted"], "100.00");
  EXPECT_EQ(s["pools"][0]["grants"], 2);
  EXPECT_EQ(s["pools"][0]["exhausted_at"], "2017-09-07T10:00:00Z");
  // Only the two outputs were added; nothing temporary is left.
  EXPECT_EQ(work_listing(), (std::set<std::string>{"rules.json", "donations.csv", "ledger.csv", "summary.json"}));
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, EqualsFormOfOptions) {
  write_defaults();
  Result r = run({"simulate", "--rules=" + path("rules.json"), "--donations=" + path("donations.csv"),
                  "--ledger=" + path("ledger.csv"), "--summary=" + path("summary.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(path("ledger.csv")), kLedger);
}

TEST_F(Cli, OptionsInAnyOrderWithProjects) {
  write("rules.json",
        R"({"pools": [{"id": "m", "budget": "100", "match": {"ratio": "1"}, "eligible": {"categories": ["edu"]}}]})");
  write("donations.csv", kDonations);
  write("projects.csv", "project,category\np1,edu\n");
  Result r = run({"simulate", "--summary", path("summary.json"), "--projects", path("projects.csv"), "--ledger",
                  path("ledger.csv"), "--donations", path("donations.csv"), "--rules", path("rules.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(path("ledger.csv")), kLedger);  // p1 is edu: eligible as before
}

TEST_F(Cli, HelpExitsZero) {
  write_defaults();
  Result r = run({"simulate", "--help"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "--rules")) << r.out;
  Result top = run({"--help"});
  EXPECT_EQ(top.status, 0) << top.err;
  EXPECT_TRUE(contains(top.out, "simulate")) << top.out;
  EXPECT_EQ(work_listing(), kInputsOnly);
}

// ---------------------------------------------------------------- '-' streams

TEST_F(Cli, DonationsFromStandardInput) {
  write("rules.json", kRules);
  Result r = run({"simulate", "--rules", path("rules.json"), "--donations", "-", "--ledger", path("ledger.csv"),
                  "--summary", path("summary.json")},
                 kDonations);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(path("ledger.csv")), kLedger);
}

TEST_F(Cli, RulesFromStandardInput) {
  write("donations.csv", kDonations);
  Result r = run({"simulate", "--rules", "-", "--donations", path("donations.csv"), "--ledger", path("ledger.csv"),
                  "--summary", path("summary.json")},
                 kRules);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(path("ledger.csv")), kLedger);
}

TEST_F(Cli, LedgerToStandardOutput) {
  write_defaults();
  Result r = run({"simulate", "--rules", path("rules.json"), "--donations", path("donations.csv"), "--ledger", "-",
                  "--summary", path("summary.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, kLedger);
  EXPECT_EQ(work_listing(), (std::set<std::string>{"rules.json", "donations.csv", "summary.json"}));
  EXPECT_TRUE(tmp_empty());  // the staged copy of standard output is gone
}

TEST_F(Cli, SummaryToStandardOutputAndDonationsFromStandardInput) {
  write("rules.json", kRules);
  Result r = run({"simulate", "--rules", path("rules.json"), "--donations", "-", "--ledger", path("ledger.csv"),
                  "--summary", "-"},
                 kDonations);
  ASSERT_EQ(r.status, 0) << r.err;
  nlohmann::json s = nlohmann::json::parse(r.out);
  EXPECT_EQ(s["matched"], "100.00");
  EXPECT_EQ(slurp(path("ledger.csv")), kLedger);
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, ErrorInStandardInputNamesLineAndColumn) {
  write("rules.json", kRules);
  Result r = run({"simulate", "--rules", path("rules.json"), "--donations", "-", "--ledger", path("ledger.csv"),
                  "--summary", "-"},
                 "id,time,donor,project,amount\nd1,2017-09-07T09:00:00Z,u1,p1,abc\n");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "line 2")) << r.err;
  EXPECT_TRUE(contains(r.err, "column amount")) << r.err;
  EXPECT_EQ(r.out, "");  // the summary went nowhere
  EXPECT_EQ(work_listing(), (std::set<std::string>{"rules.json"}));
  EXPECT_TRUE(tmp_empty());
}

// ------------------------------------------------------------- usage errors

TEST_F(Cli, UsageErrorsExitOne) {
  write_defaults();
  const std::string R = path("rules.json"), D = path("donations.csv"), L = path("ledger.csv"), S = path("summary.json");
  struct Case {
    const char* name;
    std::vector<std::string> args;
  } cases[] = {
      {"unknown option", {"simulate", "--rules", R, "--donations", D, "--ledger", L, "--summary", S, "--bogus", "x"}},
      {"unknown flag", {"simulate", "--rules", R, "--donations", D, "--ledger", L, "--summary", S, "--verbose"}},
      {"repeated option", {"simulate", "--rules", R, "--rules", R, "--donations", D, "--ledger", L, "--summary", S}},
      {"repeated option, = form", {"simulate", "--rules=" + R, "--donations", D, "--ledger", L, "--summary", S,
                                   "--ledger=" + L}},
      {"missing --summary", {"simulate", "--rules", R, "--donations", D, "--ledger", L}},
      {"missing --rules", {"simulate", "--donations", D, "--ledger", L, "--summary", S}},
      {"missing --donations", {"simulate", "--rules", R, "--ledger", L, "--summary", S}},
      {"missing value", {"simulate", "--rules", R, "--donations", D, "--ledger", L, "--summary"}},
      {"extra argument", {"simulate", "--rules", R, "--donations", D, "--ledger", L, "--summary", S, "extra"}},
      {"extra argument first", {"simulate", "extra", "--rules", R, "--donations", D, "--ledger", L, "--summary", S}},
      {"two '-' inputs", {"simulate", "--rules", "-", "--donations", "-", "--ledger", L, "--summary", S}},
      {"two '-' inputs with projects", {"simulate", "--rules", R, "--donations", "-", "--projects", "-", "--ledger", L,
                                        "--summary", S}},
      {"two '-' outputs", {"simulate", "--rules", R, "--donations", D, "--ledger", "-", "--summary", "-"}},
      {"unknown command", {"simulat", "--rules", R, "--donations", D, "--ledger", L, "--summary", S}},
      {"no command", {}},
      {"lifecycle-only option", {"simulate", "--rules", R, "--events", D, "--ledger", L, "--summary", S}},
      {"empty value, = form", {"simulate", "--rules=", "--donations", D, "--ledger", L, "--summary", S}},
      {"empty value", {"simulate", "--rules", R, "--donations", D, "--ledger", "", "--summary", S}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result r = run(c.args);
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(work_listing(), kInputsOnly);
    EXPECT_TRUE(tmp_empty());
  }
}

TEST_F(Cli, UsageIsCheckedBeforeAnyFile) {
  // The rules file does not exist (4) and the arguments are bad (1): 1 wins.
  Result r = run({"simulate", "--rules", path("missing.json"), "--donations", path("missing.csv"), "--ledger",
                  path("ledger.csv"), "--summary", path("summary.json"), "extra"});
  EXPECT_EQ(r.status, 1) << r.err;
}

// -------------------------------------------------------------- rules errors

TEST_F(Cli, BadRulesExitTwoNamingFileAndPath) {
  write("rules.json", R"({"pools": [{"id": "m", "budget": 100, "match": {"ratio": "1"}}]})");
  write("donations.csv", kDonations);
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(contains(r.err, path("rules.json"))) << r.err;
  EXPECT_TRUE(contains(r.err, "pools[0].budget")) << r.err;
  EXPECT_EQ(work_listing(), kInputsOnly);
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, RulesThatAreNotJsonExitTwo) {
  write("rules.json", R"({"pools": [],})");
  write("donations.csv", kDonations);
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(contains(r.err, path("rules.json"))) << r.err;
  EXPECT_EQ(work_listing(), kInputsOnly);
}

TEST_F(Cli, RulesAreCheckedBeforeDonationsAreRead) {
  // Bad rules (2) and a missing donations file (4): the rules decide.
  write("rules.json", R"({"pools": []})");
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 2) << r.err;
}

// -------------------------------------------------------------- input errors

TEST_F(Cli, BadDonationExitsThreeNamingFileLineAndColumn) {
  write("rules.json", kRules);
  write("donations.csv",
        "id,time,donor,project,amount\n"
        "d1,2017-09-07T09:00:00Z,u1,p1,10\n"
        "d2,2017-09-07T09:00:00Z,u1,p1,-5\n");
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, path("donations.csv"))) << r.err;
  EXPECT_TRUE(contains(r.err, "line 3")) << r.err;
  EXPECT_TRUE(contains(r.err, "column amount")) << r.err;
  EXPECT_EQ(work_listing(), kInputsOnly);
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, ExistingOutputsAreLeftAloneOnFailure) {
  write("rules.json", kRules);
  write("donations.csv", "id,time,donor,project,amount\nd1,not-a-time,u1,p1,10\n");
  write("ledger.csv", "old ledger\n");
  write("summary.json", "old summary\n");
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "column time")) << r.err;
  EXPECT_EQ(slurp(path("ledger.csv")), "old ledger\n");
  EXPECT_EQ(slurp(path("summary.json")), "old summary\n");
  EXPECT_EQ(work_listing(), (std::set<std::string>{"rules.json", "donations.csv", "ledger.csv", "summary.json"}));
}

TEST_F(Cli, ErrorFoundWhileAllocatingLeavesNoOutput) {
  // minor_units 0, ratio 2: 4611686018427387904 * 2 = 2^63 does not fit int64.
  // The error is only found while allocating, after the outputs were opened.
  write("rules.json", R"({"minor_units": 0, "pools": [{"id": "m", "budget": "10", "match": {"ratio": "2"}}]})");
  write("donations.csv",
        "id,time,donor,project,amount\n"
        "d1,2017-09-07T09:00:00Z,u1,p1,1\n"
        "d2,2017-09-07T09:00:00Z,u1,p1,4611686018427387904\n");
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, path("donations.csv"))) << r.err;
  EXPECT_TRUE(contains(r.err, "line 3")) << r.err;
  EXPECT_TRUE(contains(r.err, "column amount")) << r.err;
  EXPECT_EQ(work_listing(), kInputsOnly);
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, ProjectListedTwiceExitsThree) {
  write_defaults();
  write("projects.csv", "project,org\np1,o\np1,o\n");
  std::vector<std::string> args = simulate_args();
  args.push_back("--projects");
  args.push_back(path("projects.csv"));
  Result r = run(args);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, path("projects.csv"))) << r.err;
  EXPECT_TRUE(contains(r.err, "line 3")) << r.err;
  EXPECT_TRUE(contains(r.err, "column project")) << r.err;
  EXPECT_EQ(work_listing(), (std::set<std::string>{"rules.json", "donations.csv", "projects.csv"}));
}

TEST_F(Cli, ProjectsAreCheckedBeforeDonations) {
  // Bad projects (3) and a missing donations file (4): projects come first.
  write("rules.json", kRules);
  write("projects.csv", "category\nedu\n");
  std::vector<std::string> args = simulate_args();
  args.push_back("--projects=" + path("projects.csv"));
  Result r = run(args);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, path("projects.csv"))) << r.err;
}

TEST_F(Cli, InvalidUtf8InDonationsExitsThree) {
  write("rules.json", kRules);
  write("donations.csv", "id,time,donor,project,amount\nd1,2017-09-07T09:00:00Z,u\xFF,p1,10\n");
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "line 2")) << r.err;
}

TEST_F(Cli, InvalidUtf8InRulesExitsTwo) {
  write("rules.json", "{\"campaign\": \"\xFF\", \"pools\": [{\"id\": \"m\", \"budget\": \"1\", \"match\": {\"ratio\": \"1\"}}]}");
  write("donations.csv", kDonations);
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 2) << r.err;
}

// ---------------------------------------------------------------- I/O errors

TEST_F(Cli, MissingRulesFileExitsFour) {
  write("donations.csv", kDonations);
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_TRUE(contains(r.err, path("rules.json"))) << r.err;
  EXPECT_EQ(work_listing(), (std::set<std::string>{"donations.csv"}));
}

TEST_F(Cli, RulesAreReadBeforeDonationsAreChecked) {
  // A missing rules file (4) and bad donations (3): the rules file decides.
  write("donations.csv", "id,time\n");
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 4) << r.err;
}

TEST_F(Cli, DonationsPathIsADirectoryExitsFour) {
  write("rules.json", kRules);
  fs::create_directory(path("donations.csv"));
  Result r = run(simulate_args());
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_TRUE(contains(r.err, path("donations.csv"))) << r.err;
  EXPECT_EQ(work_listing(), kInputsOnly);
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, MissingProjectsFileExitsFour) {
  write_defaults();
  std::vector<std::string> args = simulate_args();
  args.push_back("--projects");
  args.push_back(path("projects.csv"));
  Result r = run(args);
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_TRUE(contains(r.err, path("projects.csv"))) << r.err;
}

TEST_F(Cli, LedgerInMissingDirectoryExitsFourAndWritesNothing) {
  write_defaults();
  const std::string ledger = path("no-such-dir/ledger.csv");
  Result r = run({"simulate", "--rules", path("rules.json"), "--donations", path("donations.csv"), "--ledger", ledger,
                  "--summary", path("summary.json")});
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_TRUE(contains(r.err, ledger)) << r.err;
  // The summary, which could have been written, was not; no temporary is left.
  EXPECT_EQ(work_listing(), kInputsOnly);
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, SummaryInMissingDirectoryExitsFourAndWritesNothing) {
  write_defaults();
  const std::string summary = path("no-such-dir/summary.json");
  Result r = run({"simulate", "--rules", path("rules.json"), "--donations", path("donations.csv"), "--ledger",
                  path("ledger.csv"), "--summary", summary});
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_TRUE(contains(r.err, summary)) << r.err;
  EXPECT_EQ(work_listing(), kInputsOnly);
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, SummaryInMissingDirectoryWithLedgerOnStandardOutput) {
  // Nothing may reach standard output when the summary cannot be written.
  write_defaults();
  Result r = run({"simulate", "--rules", path("rules.json"), "--donations", path("donations.csv"), "--ledger", "-",
                  "--summary", path("no-such-dir/summary.json")});
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(tmp_empty());
}

TEST_F(Cli, InputErrorsComeBeforeOutputErrors) {
  // Bad donations (3) and a ledger in a missing directory (4): 3.
  write("rules.json", kRules);
  write("donations.csv", "id,time,donor,project,amount\nd1,2017-09-07T09:00:00Z,u1,p1,0\n");
  Result r = run({"simulate", "--rules", path("rules.json"), "--donations", path("donations.csv"), "--ledger",
                  path("no-such-dir/ledger.csv"), "--summary", path("summary.json")});
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_EQ(work_listing(), kInputsOnly);
}

}  // namespace
