// Adversarial inputs and hostile conditions against the real `matchfund`
// binary (docs/reliability.md): a 1 GB line, a 100 MB rules file, a full
// disk, an unreadable file, SIGINT and SIGTERM in the middle of a run. Each
// test checks the exit status (or the signal), that the message names the
// place, that memory stayed bounded where the input is huge, and that no
// output or temporary file is left behind.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "unit/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using matchfund::test_support::slurp;

constexpr const char* kRules = R"({"pools": [{"id": "m", "budget": "100000", "match": {"ratio": "1"}}]})";
constexpr const char* kHeader = "id,time,donor,project,amount\n";

std::string rows(int n) {
  std::string s = kHeader;
  for (int i = 0; i < n; ++i) s += "d" + std::to_string(i) + ",2017-09-07T09:00:00Z,u" + std::to_string(i % 97) + ",p1,1\n";
  return s;
}

struct Outcome {
  int status = -1;  // exit status, or -1 when killed by a signal
  int signal = 0;   // the signal that ended the process, or 0
  long max_rss_kb = 0;
  std::string err;
};

class AdversarialCli : public matchfund::test_support::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    write("rules.json", kRules);
  }

  // `content`, then zero bytes up to `size` without using disk space: one
  // line with no line feed when content ends with one.
  void write_sparse(const std::string& name, const std::string& content, off_t size) const {
    write(name, content);
    ASSERT_EQ(::truncate(path(name).c_str(), size), 0);
  }

  static std::vector<std::string> simulate(const std::string& rules, const std::string& donations,
                                           const std::string& ledger, const std::string& summary) {
    return {"simulate", "--rules", rules, "--donations", donations, "--ledger", ledger, "--summary", summary};
  }
  std::vector<std::string> default_simulate() const {
    return simulate(path("rules.json"), path("donations.csv"), path("ledger.csv"), path("summary.json"));
  }

  // Starts the binary with `args`; `in_child` runs in the child before exec.
  pid_t start(const std::vector<std::string>& args, const std::function<void()>& in_child = {}) const {
    const std::string err = (root_ / "stderr").string(), tmpdir = (root_ / "tmp").string();
    pid_t pid = ::fork();
    if (pid == 0) {
      int fd_in = ::open("/dev/null", O_RDONLY);
      int fd_out = ::open("/dev/null", O_WRONLY);
      int fd_err = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      if (fd_in < 0 || fd_out < 0 || fd_err < 0) ::_exit(127);
      ::dup2(fd_in, 0);
      ::dup2(fd_out, 1);
      ::dup2(fd_err, 2);
      ::setenv("TMPDIR", tmpdir.c_str(), 1);
      if (in_child) in_child();
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(MATCHFUND_BINARY));
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(MATCHFUND_BINARY, argv.data());
      ::_exit(126);
    }
    return pid;
  }
  Outcome wait_for(pid_t pid) const {
    Outcome o;
    int status = 0;
    struct rusage usage {};
    if (pid > 0 && ::wait4(pid, &status, 0, &usage) == pid) {
      if (WIFEXITED(status)) o.status = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
      o.max_rss_kb = usage.ru_maxrss;
    }
    o.err = slurp(root_ / "stderr");
    return o;
  }
  Outcome run(const std::vector<std::string>& args, const std::function<void()>& in_child = {}) const {
    return wait_for(start(args, in_child));
  }
};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The inputs alone are left: no ledger, summary or temporary.
const std::set<std::string> kInputs = {"rules.json", "donations.csv"};

// ------------------------------------------------------------------ huge inputs

TEST_F(AdversarialCli, OneGigabyteLineWithoutLineFeedIsRefusedInBoundedMemory) {
  write_sparse("donations.csv", std::string(kHeader), off_t{1} << 30);
  const Outcome o = run(default_simulate());
  EXPECT_EQ(o.status, 3) << o.err;
  EXPECT_TRUE(contains(o.err, path("donations.csv") + ", line 2: the record is longer than the limit")) << o.err;
  EXPECT_EQ(work_listing(), kInputs);
  EXPECT_TRUE(tmp_empty());
  // It stops after about max_line_bytes (1 MiB): far below the 1 GB file.
  EXPECT_LT(o.max_rss_kb, 200 * 1024) << "kB";
}

TEST_F(AdversarialCli, TenMegabyteFieldExitsThreeNamingTheLine) {
  write("donations.csv", rows(3) + std::string(10 << 20, 'x') + ",2017-09-07T09:00:00Z,u1,p1,1\n");
  const Outcome o = run(default_simulate());
  EXPECT_EQ(o.status, 3) << o.err;
  EXPECT_TRUE(contains(o.err, path("donations.csv") + ", line 5: the record is longer than the limit of 1048576 bytes"))
      << o.err;
  EXPECT_EQ(work_listing(), kInputs);
}

TEST_F(AdversarialCli, LimitsCanBeRaisedFromTheEnvironment) {
  write("donations.csv", rows(1) + std::string(2000, 'i') + ",2017-09-07T09:00:00Z,u1,p1,1\n");
  EXPECT_EQ(run(default_simulate()).status, 3);
  const Outcome o = run(default_simulate(), [] { ::setenv("MATCHFUND_MAX_ID_BYTES", "2000", 1); });
  EXPECT_EQ(o.status, 0) << o.err;
  const Outcome bad = run(default_simulate(), [] { ::setenv("MATCHFUND_MAX_ID_BYTES", "lots", 1); });
  EXPECT_EQ(bad.status, 1);
  EXPECT_TRUE(contains(bad.err, "MATCHFUND_MAX_ID_BYTES=lots")) << bad.err;
}

TEST_F(AdversarialCli, HundredMegabyteRulesFileExitsTwoInBoundedMemory) {
  write("donations.csv", rows(1));
  write_sparse("rules.json", "{", off_t{100} << 20);
  const Outcome o = run(default_simulate());
  EXPECT_EQ(o.status, 2) << o.err;
  EXPECT_TRUE(contains(o.err, path("rules.json") + ": the file is larger than the limit")) << o.err;
  EXPECT_LT(o.max_rss_kb, 200 * 1024) << "kB";
  EXPECT_EQ(work_listing(), kInputs);
}

TEST_F(AdversarialCli, LongLineInEventsAndContributionsIsRefusedToo) {
  write_sparse("events.csv", "op,time,id,donor,project,amount\n", off_t{8} << 20);
  Outcome o = run({"lifecycle", "--rules", path("rules.json"), "--events", path("events.csv"), "--ledger",
                   path("ledger.csv"), "--summary", path("summary.json")});
  EXPECT_EQ(o.status, 3) << o.err;
  EXPECT_TRUE(contains(o.err, path("events.csv") + ", line 2: the line is longer")) << o.err;
  write("round.json", R"({"pools": [{"id": "q", "budget": "100", "settle": {"mechanism": "quadratic"}}]})");
  write_sparse("votes.csv", "donor,project,amount\n", off_t{8} << 20);
  o = run({"settle", "--rules", path("round.json"), "--contributions", path("votes.csv"), "--out", path("out.csv")});
  EXPECT_EQ(o.status, 3) << o.err;
  EXPECT_TRUE(contains(o.err, path("votes.csv") + ", line 2: the line is longer")) << o.err;
  EXPECT_FALSE(fs::exists(path("out.csv")));
  EXPECT_FALSE(fs::exists(path("ledger.csv")));
}

// ------------------------------------------------------------------ files

TEST_F(AdversarialCli, EmptyFilesAreRulesOrInputErrors) {
  write("donations.csv", "");
  Outcome o = run(default_simulate());
  EXPECT_EQ(o.status, 3) << o.err;
  EXPECT_TRUE(contains(o.err, path("donations.csv") + ", line 1: the file is empty")) << o.err;
  write("rules.json", "");
  o = run(default_simulate());
  EXPECT_EQ(o.status, 2) << o.err;
  EXPECT_TRUE(contains(o.err, path("rules.json") + ": not valid JSON")) << o.err;
  EXPECT_EQ(work_listing(), kInputs);
}

TEST_F(AdversarialCli, RulesOrProjectsPathThatIsADirectoryExitsFour) {
  write("donations.csv", rows(1));
  fs::create_directory(path("dir"));
  Outcome o = run(simulate(path("dir"), path("donations.csv"), path("ledger.csv"), path("summary.json")));
  EXPECT_EQ(o.status, 4) << o.err;
  EXPECT_TRUE(contains(o.err, "cannot read '" + path("dir") + "': Is a directory")) << o.err;
  std::vector<std::string> args = default_simulate();
  args.insert(args.end(), {"--projects", path("dir")});
  o = run(args);
  EXPECT_EQ(o.status, 4) << o.err;
  EXPECT_TRUE(contains(o.err, "cannot read '" + path("dir") + "': Is a directory")) << o.err;
  EXPECT_FALSE(fs::exists(path("ledger.csv")));
}

TEST_F(AdversarialCli, UnreadableFileExitsFour) {
  write("donations.csv", rows(1));
  ASSERT_EQ(::chmod(path("donations.csv").c_str(), 0), 0);
  // Root reads anything: the child then runs as nobody, with a folder it may write.
  const bool root = ::geteuid() == 0;
  if (root) {
    ASSERT_EQ(::chmod(root_.c_str(), 0755), 0);
    ASSERT_EQ(::chmod((root_ / "work").c_str(), 0777), 0);
    ASSERT_EQ(::chmod((root_ / "tmp").c_str(), 0777), 0);
  }
  const Outcome o = run(default_simulate(), [root] {
    if (root && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(125);
  });
  EXPECT_EQ(o.status, 4) << o.err;
  EXPECT_TRUE(contains(o.err, "cannot read '" + path("donations.csv") + "': Permission denied")) << o.err;
  EXPECT_EQ(work_listing(), kInputs);
}

TEST_F(AdversarialCli, ReadThatFailsExitsFour) {
  // /proc/self/mem opens, then its first read fails with EIO.
  const Outcome o = run(simulate(path("rules.json"), "/proc/self/mem", path("ledger.csv"), path("summary.json")));
  EXPECT_EQ(o.status, 4) << o.err;
  EXPECT_TRUE(contains(o.err, "cannot read '/proc/self/mem': Input/output error")) << o.err;
  EXPECT_EQ(work_listing(), std::set<std::string>{"rules.json"});
}

// ------------------------------------------------------------------ full disk

// RLIMIT_FSIZE makes every write past 4 KiB fail as a full disk would (EFBIG,
// with SIGXFSZ ignored, as a process on a full disk gets ENOSPC).
void small_file_size_limit() {
  ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit {4096, 4096};
  if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(125);
}

TEST_F(AdversarialCli, FullDiskWhenWritingTheLedgerExitsFourAndLeavesNothing) {
  write("donations.csv", rows(2000));  // a ledger of about 40 KB
  const Outcome o = run(default_simulate(), small_file_size_limit);
  EXPECT_EQ(o.status, 4) << o.err;
  EXPECT_TRUE(contains(o.err, "cannot write '" + path("ledger.csv") + "': File too large")) << o.err;
  EXPECT_EQ(work_listing(), kInputs);
  EXPECT_TRUE(tmp_empty());
}

TEST_F(AdversarialCli, FileSizeSignalRemovesTheTemporaries) {
  // Without ignoring SIGXFSZ the write kills the process: the temporaries go too.
  write("donations.csv", rows(2000));
  const Outcome o = run(default_simulate(), [] {
    struct rlimit limit {4096, 4096}, no_core {0, 0};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0 || ::setrlimit(RLIMIT_CORE, &no_core) != 0) ::_exit(125);
  });
  EXPECT_EQ(o.signal, SIGXFSZ) << o.err;
  EXPECT_EQ(work_listing(), kInputs);
}

// ------------------------------------------------------------------ signals

// The ledger goes to a FIFO that nobody reads, so the run blocks in publishing
// it, with the summary finished beside its target as a temporary. The test
// waits until that temporary exists (the run is then past reading and
// allocating, or in the middle of it), then sends the signal.
class AdversarialSignal : public AdversarialCli, public ::testing::WithParamInterface<int> {};

TEST_P(AdversarialSignal, SignalInTheMiddleOfARunLeavesNoOutput) {
  const int signo = GetParam();
  write("donations.csv", rows(5000));
  ASSERT_EQ(::mkfifo(path("ledger.fifo").c_str(), 0644), 0);
  const pid_t pid = start(simulate(path("rules.json"), path("donations.csv"), path("ledger.fifo"), path("summary.json")),
                          [] {
                            struct rlimit no_core {0, 0};  // SIGABRT would dump core
                            ::setrlimit(RLIMIT_CORE, &no_core);
                          });
  ASSERT_GT(pid, 0);
  auto has_temporary = [&] {
    for (const std::string& name : work_listing())
      if (name.rfind("summary.json.tmp-", 0) == 0) return true;
    return false;
  };
  bool seen = false;
  for (int i = 0; i < 600'000 && !seen; ++i) {  // a bounded wait, not a timing assertion
    seen = has_temporary();
    if (!seen) ::usleep(100);
  }
  ::kill(pid, signo);
  const Outcome o = wait_for(pid);
  ASSERT_TRUE(seen) << "the run never created its summary temporary: " << o.err;
  EXPECT_EQ(o.signal, signo) << "exit status " << o.status << ": " << o.err;
  EXPECT_EQ(work_listing(), (std::set<std::string>{"rules.json", "donations.csv", "ledger.fifo"}));
  EXPECT_TRUE(tmp_empty()) << "the staged ledger was left in TMPDIR";
}

// SIGABRT stands for an abort inside the run (std::terminate, a failed check).
INSTANTIATE_TEST_SUITE_P(IntTermAbort, AdversarialSignal, ::testing::Values(SIGINT, SIGTERM, SIGABRT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGINT ? "SIGINT" : info.param == SIGTERM ? "SIGTERM" : "SIGABRT");
                         });

}  // namespace
