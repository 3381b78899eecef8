// The golden round (shared/golden/gitcoin-gg18-token-engineering): real votes
// of Gitcoin Grants GG18's Token Engineering round and the matching that was
// published for it. The test runs the command of the round's README through
// the real binary and compares every project with the published column.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include "unit/test_support.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(MATCHFUND_SHARED_DIR) / "golden" / "gitcoin-gg18-token-engineering";

using matchfund::test_support::slurp;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// A small RFC 4180 reader for the test's own use: rows of fields.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(field);
        rows.push_back(row);
      }
      row.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

// Rows keyed by the value of `key`, each a map column -> value.
std::map<std::string, std::map<std::string, std::string>> by_key(const std::string& text, const std::string& key) {
  auto rows = parse_csv(text);
  std::map<std::string, std::map<std::string, std::string>> out;
  if (rows.empty()) return out;
  const std::vector<std::string>& header = rows[0];
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::map<std::string, std::string> fields;
    for (std::size_t k = 0; k < header.size() && k < rows[r].size(); ++k) fields[header[k]] = rows[r][k];
    EXPECT_EQ(rows[r].size(), header.size()) << "row " << r;
    EXPECT_TRUE(out.emplace(fields[key], fields).second) << "project listed twice: " << fields[key];
  }
  return out;
}

// "2057.78" -> 205778 (minor_units 2, as the rules say).
std::int64_t cents(const std::string& amount) {
  const auto dot = amount.find('.');
  EXPECT_NE(dot, std::string::npos) << amount;
  EXPECT_EQ(amount.size() - dot - 1, 2u) << amount;
  return std::stoll(amount.substr(0, dot)) * 100 + std::stoll(amount.substr(dot + 1));
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "matchfund-golden-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

TEST(GoldenGitcoinGG18, TokenEngineeringRoundMatchesPublished) {
  ASSERT_TRUE(fs::exists(kGoldenDir / "votes.csv")) << kGoldenDir;
  TempDir tmp;
  const fs::path results = tmp.path / "results.csv";
  const fs::path err = tmp.path / "stderr.txt";
  // Exactly the README's command, run in the round's folder; only --out points elsewhere.
  const std::string cmd = "cd " + shell_quote(kGoldenDir.string()) + " && " + shell_quote(MATCHFUND_BINARY) +
                          " settle --rules rules.json --contributions votes.csv --map donor=voter"
                          " --map project=grantAddress --map amount=amountUSD --map weight=coefficient --out " +
                          shell_quote(results.string()) + " 2>" + shell_quote(err.string());
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << slurp(err);

  const std::string results_text = slurp(results);
  ASSERT_EQ(results_text.rfind("pool,project,donors,contributed,raw,share,match\n", 0), 0u) << results_text;
  auto ours = by_key(results_text, "project");
  auto published = by_key(slurp(kGoldenDir / "published_matching.csv"), "Grant Address");
  ASSERT_FALSE(published.empty());

  // The same set of projects.
  std::set<std::string> our_projects, published_projects;
  for (const auto& [p, row] : ours) our_projects.insert(p);
  for (const auto& [p, row] : published) published_projects.insert(p);
  EXPECT_EQ(our_projects, published_projects);

  double largest = 0;
  std::string largest_project;
  std::int64_t total_cents = 0;
  for (const auto& [project, row] : ours) {
    EXPECT_EQ(row.at("pool"), "qf");
    const std::int64_t match_cents = cents(row.at("match"));
    total_cents += match_cents;
    auto it = published.find(project);
    if (it == published.end()) continue;  // reported by the set comparison
    const double expected = std::stod(it->second.at("Normal QF Matching"));
    const double diff = std::fabs(static_cast<double>(match_cents) / 100.0 - expected);
    EXPECT_LE(diff, 0.01 + 1e-9) << project << ": ours " << row.at("match") << ", published " << expected;
    EXPECT_EQ(row.at("donors"), it->second.at("Eligible Voters")) << project;
    if (diff > largest) {
      largest = diff;
      largest_project = project;
    }
  }
  EXPECT_EQ(total_cents, 2500000);  // exactly 25000.00
  std::ostringstream line;          // formatted apart, so std::cout's flags stay as they were
  line << "[ golden  ] GG18 Token Engineering: " << ours.size() << " projects, matches sum to " << total_cents / 100
       << "." << std::setw(2) << std::setfill('0') << total_cents % 100
       << "; largest |match - published| = " << std::setprecision(6) << std::fixed << largest << " USD ("
       << largest_project << ": ours " << ours[largest_project]["match"] << ", published "
       << published[largest_project]["Normal QF Matching"] << ")\n";
  std::cout << line.str();
}

}  // namespace
