// Runs one conformance case (../shared/conformance/README.md) against the
// matchfund binary: allocation cases compare the ledger byte for byte and the
// summary as parsed JSON; error cases compare the exit status.
// Usage: conformance_case MATCHFUND CASE_DIR SCRATCH_DIR. Exit 0 pass, 1 fail, 77 skipped.
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs argv in `dir` with stderr to `err_path`; returns the exit status.
int run(const std::vector<std::string>& argv, const fs::path& dir, const fs::path& err_path) {
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(126);
    FILE* err = std::freopen(err_path.c_str(), "w", stderr);
    if (!err) _exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: conformance_case MATCHFUND CASE_DIR SCRATCH_DIR\n";
    return 2;
  }
  const fs::path binary = fs::absolute(argv[1]);
  const fs::path dir = argv[2];
  const fs::path out = fs::absolute(argv[3]);
  fs::remove_all(out);
  fs::create_directories(out);

  const bool lifecycle = fs::exists(dir / "lifecycle");
  std::vector<std::string> cmd = {binary.string(), lifecycle ? "lifecycle" : "simulate", "--rules", "rules.json"};
  if (lifecycle) {
    cmd.insert(cmd.end(), {"--events", "events.csv"});
  } else {
    cmd.insert(cmd.end(), {"--donations", "donations.csv"});
  }
  if (fs::exists(dir / "projects.csv")) cmd.insert(cmd.end(), {"--projects", "projects.csv"});
  cmd.insert(cmd.end(), {"--ledger", (out / "ledger.csv").string(), "--summary", (out / "summary.json").string()});

  std::cout << "case: " << dir.filename().string() << "\n";
  const int status = run(cmd, dir, out / "stderr.txt");
  const std::string err = slurp(out / "stderr.txt");
  if (lifecycle && status == 1 && err.find("unknown command 'lifecycle'") != std::string::npos) {
    std::cout << "SKIPPED: lifecycle case; `matchfund lifecycle` is not built yet\n";
    return 77;
  }

  if (fs::exists(dir / "expected_exit.txt")) {
    const int expected = std::stoi(slurp(dir / "expected_exit.txt"));
    std::cout << "expected exit " << expected << ", got " << status << "\nstderr: " << err;
    if (status != expected) return 1;
    if (fs::exists(out / "ledger.csv") || fs::exists(out / "summary.json")) {
      std::cout << "FAIL: an output file was left behind by a failed run\n";
      return 1;
    }
    return 0;
  }
  if (status != 0) {
    std::cout << "FAIL: exit status " << status << "\nstderr: " << err;
    return 1;
  }
  bool ok = true;
  if (slurp(out / "ledger.csv") != slurp(dir / "ledger.csv")) {
    std::cout << "FAIL: ledger differs from " << (dir / "ledger.csv") << " (see " << (out / "ledger.csv") << ")\n";
    ok = false;
  }
  auto got = nlohmann::json::parse(slurp(out / "summary.json"), nullptr, false);
  auto want = nlohmann::json::parse(slurp(dir / "summary.json"), nullptr, false);
  if (got.is_discarded() || got != want) {
    std::cout << "FAIL: summary differs\nexpected: " << want.dump() << "\n     got: " << got.dump() << "\n";
    ok = false;
  }
  if (ok) std::cout << "PASS\n";
  return ok ? 0 : 1;
}
