// `matchfund generate` (generator/): the same seed gives the same bytes, the
// calibration figures land within 2% of their scaled targets, every profile's
// file set passes simulate, the generator's memory does not grow with the
// scale, and the command line maps its errors to exit statuses 1 and 4.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/file_io.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/plan.hpp"
#include "engine/rules.hpp"
#include "engine/simulation.hpp"
#include "engine/time.hpp"
#include "generator/generator.hpp"
#include "unit/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using matchfund::gen::Options;
using matchfund::gen::Report;

using matchfund::test_support::slurp;

class Generator : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/matchfund-generator-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  Report generate(const std::string& profile, double scale, std::uint64_t seed, const std::string& name) {
    Options o;
    o.profile = profile;
    o.scale = scale;
    o.seed = seed;
    o.out_dir = (root_ / name).string();
    return matchfund::gen::generate(o);
  }

  fs::path root_;
};

// What simulate makes of a generated file set, run through the library as
// apps/simulate_command.cpp does (every row is validated on the way in).
struct Simulated {
  matchfund::Catalog catalog;
  matchfund::DonationStream stream;
  nlohmann::json summary;
};

std::unique_ptr<Simulated> simulate(const fs::path& dir) {
  using namespace matchfund;
  auto out = std::make_unique<Simulated>();
  const std::string rules_path = (dir / "rules.json").string();
  Campaign campaign = parse_campaign(read_file(rules_path), rules_path);
  const std::string projects_path = (dir / "projects.csv").string();
  read_projects(read_file(projects_path), projects_path, out->catalog);
  const std::string donations_path = (dir / "donations.csv").string();
  {
    std::string text = read_file(donations_path);
    out->stream = read_donations(text, donations_path, campaign.minor_units, out->catalog);
  }
  Plan plan(campaign, out->catalog);
  Allocator allocator(plan, out->catalog);
  NullSink sink;
  run_allocation(allocator, out->stream, sink);
  out->summary = nlohmann::json::parse(summary_json(plan, out->stream, allocator));
  return out;
}

const nlohmann::json& pool(const nlohmann::json& summary, const std::string& id) {
  for (const auto& p : summary["pools"])
    if (p["id"] == id) return p;
  throw std::runtime_error("no pool " + id);
}

// Seconds from `from` (RFC 3339) to the pool's exhausted_at; NaN when not exhausted.
double exhausted_after(const nlohmann::json& p, const std::string& from) {
  if (p["exhausted_at"].is_null()) return std::nan("");
  auto at = matchfund::parse_instant(p["exhausted_at"].get<std::string>());
  auto start = matchfund::parse_instant(from);
  return static_cast<double>(at->utc - start->utc) / 1e6;
}

std::size_t out_of_order(const matchfund::DonationStream& s) {
  std::size_t n = 0;
  matchfund::Micros latest = std::numeric_limits<matchfund::Micros>::min();
  for (matchfund::Micros t : s.time) {
    if (t < latest) ++n;
    latest = std::max(latest, t);
  }
  return n;
}

// ------------------------------------------------------------ determinism

TEST_F(Generator, SameSeedSameBytesOtherSeedOtherBytes) {
  generate("giving-day-2017", 0.002, 7, "a");
  generate("giving-day-2017", 0.002, 7, "b");
  generate("giving-day-2017", 0.002, 8, "c");
  for (const char* file : {"donations.csv", "projects.csv", "rules.json"})
    EXPECT_EQ(slurp(root_ / "a" / file), slurp(root_ / "b" / file)) << file;
  EXPECT_NE(slurp(root_ / "a" / "donations.csv"), slurp(root_ / "c" / "donations.csv"));
  EXPECT_NE(slurp(root_ / "a" / "rules.json"), slurp(root_ / "c" / "rules.json"));  // the rules' seed
  // Nothing but the three files is left behind.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(root_ / "a")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"donations.csv", "projects.csv", "rules.json"}));
}

TEST_F(Generator, EveryProfileIsDeterministic) {
  for (const auto& [profile, scale] : std::vector<std::pair<std::string, double>>{
           {"giving-day-2021", 0.0002}, {"giving-tuesday", 0.01}}) {
    generate(profile, scale, 3, profile + "-a");
    generate(profile, scale, 3, profile + "-b");
    EXPECT_EQ(slurp(root_ / (profile + "-a") / "donations.csv"), slurp(root_ / (profile + "-b") / "donations.csv"))
        << profile;
  }
}

// ------------------------------------------------------------ calibration

TEST_F(Generator, GivingDay2017CalibratedWithin2PercentAtScale001) {
  for (std::uint64_t seed : {1, 2}) {
    const Report r = generate("giving-day-2017", 0.01, seed, "s" + std::to_string(seed));
    std::map<std::string, double> generated;
    int compared = 0;
    for (const auto& row : r.calibration) {
      generated[row.figure] = row.generated;
      if (!row.compare) continue;
      ++compared;
      ASSERT_NE(row.target, 0) << row.figure;
      EXPECT_LE(std::abs(row.generated - row.target) / row.target, 0.02)
          << row.figure << ": target " << row.target << ", generated " << row.generated << " (seed " << seed << ")";
    }
    EXPECT_GE(compared, 12);
    EXPECT_EQ(r.rows, 126'800u);
    EXPECT_EQ(r.projects, 6'466u);
    EXPECT_NEAR(generated.at("donated (CNY)"), 8'299'000, 0.02 * 8'299'000);
    EXPECT_GT(generated.at("education share of donated CNY"), 30.0);
    EXPECT_NEAR(generated.at("viral project donations"), 57'800, 0.02 * 57'800);
    EXPECT_NEAR(generated.at("bot-like accounts (> 5 donations a minute)"), 252.44, 0.02 * 252.44);
    // Far fewer distinct donors than donations.
    EXPECT_LT(generated.at("distinct donors (HyperLogLog, +-1%)"), 0.5 * 126'800);
  }
  const std::string table = matchfund::gen::calibration_table(generate("giving-day-2017", 0.01, 1, "t"));
  EXPECT_NE(table.find("12,680,000"), std::string::npos) << table;
  EXPECT_NE(table.find("829,900,000"), std::string::npos) << table;
}

// The 2017 stream at scale 0.01 under its own rules: the day-1 platform pool
// runs dry in the morning, the shape is there (viral project, bots, lucky
// amounts, channels, arrival order), and every row is valid input.
TEST_F(Generator, GivingDay2017PassesSimulateWithTheShapeOfTheEvent) {
  generate("giving-day-2017", 0.01, 1, "g");
  const auto sim = simulate(root_ / "g");
  const auto& s = sim->stream;
  const nlohmann::json& summary = sim->summary;
  EXPECT_EQ(summary["donations"], 126'800);
  EXPECT_EQ(summary["duplicates"], 0);  // unique ids

  // Pools: the day-1 pool is gone between 09:00 and 13:00; all three daily pools run dry.
  const double day1 = exhausted_after(pool(summary, "platform-day1"), "2017-09-07T09:00:00+08:00");
  EXPECT_GT(day1, 0);
  EXPECT_LT(day1, 4 * 3600.0);
  EXPECT_FALSE(pool(summary, "platform-day2")["exhausted_at"].is_null());
  EXPECT_FALSE(pool(summary, "platform-day3")["exhausted_at"].is_null());

  // Times: within 7 to 9 September (local), written with +08:00 and milliseconds, mostly in order.
  const std::string text = slurp(root_ / "g" / "donations.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')), "id,time,donor,project,amount,channel");
  const std::string first = text.substr(text.find('\n') + 1, text.find('\n', text.find('\n') + 1) - text.find('\n') - 1);
  EXPECT_NE(first.find("+08:00"), std::string::npos) << first;
  EXPECT_EQ(first[first.find("+08:00") - 4], '.') << first;
  const matchfund::Micros start = matchfund::parse_instant("2017-09-07T00:00:00+08:00")->utc;
  const matchfund::Micros end = matchfund::parse_instant("2017-09-10T00:00:00+08:00")->utc;
  EXPECT_GE(*std::min_element(s.time.begin(), s.time.end()), start);
  EXPECT_LT(*std::max_element(s.time.begin(), s.time.end()), end);
  const std::size_t late = out_of_order(s);
  EXPECT_GT(late, 0u);
  EXPECT_LT(late, s.size() / 200);

  // Channels cash, coins and steps.
  std::vector<std::string> channels;
  for (std::uint32_t c = 0; c < sim->catalog.channels.size(); ++c) channels.emplace_back(sim->catalog.channels.name(c));
  std::sort(channels.begin(), channels.end());
  EXPECT_EQ(channels, (std::vector<std::string>{"cash", "coins", "steps"}));

  // Lucky amounts are spikes: 1, 10 and 9.90 are each far more common than 11.
  std::map<matchfund::Minor, std::size_t> amounts;
  for (matchfund::Minor a : s.amount) ++amounts[a];
  EXPECT_GT(amounts[100], 20 * (amounts[1100] + 1));
  EXPECT_GT(amounts[1000], 20 * (amounts[1100] + 1));
  EXPECT_GT(amounts[990], 20 * (amounts[1100] + 1));
  EXPECT_GT(amounts[8800], 5 * (amounts[8700] + 1));

  // One viral project: over 40% of the rows, within 15 hours.
  std::vector<std::size_t> per_project(sim->catalog.projects.size());
  for (std::uint32_t p : s.project) ++per_project[p];
  const auto viral = static_cast<std::uint32_t>(std::max_element(per_project.begin(), per_project.end()) - per_project.begin());
  EXPECT_GT(per_project[viral], s.size() * 2 / 5);
  matchfund::Micros vmin = end, vmax = start;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.project[i] == viral) vmin = std::min(vmin, s.time[i]), vmax = std::max(vmax, s.time[i]);
  EXPECT_LE(vmax - vmin, 15 * 3600 * matchfund::kMicrosPerSecond + 3 * matchfund::kMicrosPerSecond);

  // Bot-like accounts: at least 252 donors make 6 donations within 60 seconds.
  std::vector<std::vector<matchfund::Micros>> by_donor(sim->catalog.donors.size());
  for (std::size_t i = 0; i < s.size(); ++i) by_donor[s.donor[i]].push_back(s.time[i]);
  std::size_t fast = 0;
  for (auto& times : by_donor) {
    std::sort(times.begin(), times.end());
    for (std::size_t i = 5; i < times.size(); ++i)
      if (times[i] - times[i - 5] <= 60 * matchfund::kMicrosPerSecond) {
        ++fast;
        break;
      }
  }
  EXPECT_GE(fast, 252u);
  EXPECT_LT(fast, 400u);
  // Repeat donors: far fewer donors than donations.
  EXPECT_LT(sim->catalog.donors.size(), s.size() / 2);
}

TEST_F(Generator, GivingDay2021PassesSimulate) {
  const Report r = generate("giving-day-2021", 0.0005, 1, "g");
  EXPECT_EQ(r.rows, 34'350u);
  const auto sim = simulate(root_ / "g");
  EXPECT_EQ(sim->summary["donations"], 34'350);
  EXPECT_EQ(sim->summary["duplicates"], 0);
  EXPECT_EQ(sim->summary["pools"].size(), 15u);
  const matchfund::Micros start = matchfund::parse_instant("2021-09-01T00:00:00+08:00")->utc;
  const matchfund::Micros end = matchfund::parse_instant("2021-09-11T00:00:00+08:00")->utc;
  EXPECT_GE(*std::min_element(sim->stream.time.begin(), sim->stream.time.end()), start);
  EXPECT_LT(*std::max_element(sim->stream.time.begin(), sim->stream.time.end()), end);
  EXPECT_FALSE(pool(sim->summary, "platform-day7")["exhausted_at"].is_null());
}

TEST_F(Generator, GivingTuesdayBurstExhaustsThePoolWithinSeconds) {
  const Report r = generate("giving-tuesday", 0.02, 1, "g");
  EXPECT_EQ(r.rows, 25'000u);
  const auto sim = simulate(root_ / "g");
  EXPECT_EQ(sim->summary["donations"], 25'000);
  const nlohmann::json& match = pool(sim->summary, "facebook-match");
  EXPECT_EQ(match["budget"], "140000.00");
  EXPECT_EQ(match["granted"], "140000.00");
  const double seconds = exhausted_after(match, "2019-12-03T08:00:00-05:00");
  EXPECT_GT(seconds, 0);
  EXPECT_LT(seconds, 30);
  const std::string text = slurp(root_ / "g" / "donations.csv");
  EXPECT_NE(text.find("T08:00:0"), std::string::npos);
  EXPECT_NE(text.find("-05:00,"), std::string::npos);
  // No donation above the $2,499 default limit.
  EXPECT_LE(*std::max_element(sim->stream.amount.begin(), sim->stream.amount.end()), 249'900);
}

// ------------------------------------------------------------ memory

TEST_F(Generator, StateDoesNotGrowWithScale) {
  const Report small = generate("giving-day-2017", 0.001, 1, "small");
  const Report large = generate("giving-day-2017", 0.03, 1, "large");
  EXPECT_EQ(small.state_bytes, large.state_bytes);
  EXPECT_LT(large.state_bytes, std::size_t{16} << 20);
  // Rows held at once: the three stream heads and the bot bursts in flight.
  EXPECT_LE(small.peak_buffered_rows, 3u + 16384u);
  EXPECT_LE(large.peak_buffered_rows, 3u + 16384u);
  EXPECT_LT(large.peak_buffered_rows, 200u);
  EXPECT_EQ(large.rows, 380'400u);
}

TEST_F(Generator, TinyScalesStillWriteValidFiles) {
  for (const std::string profile : {"giving-day-2017", "giving-day-2021", "giving-tuesday"}) {
    generate(profile, 1e-7, 1, profile);
    const auto sim = simulate(root_ / profile);
    EXPECT_EQ(sim->summary["duplicates"], 0) << profile;
  }
}

// ------------------------------------------------------------ command line

struct Outcome {
  int status = -1;
  std::string out, err;
};

Outcome run(const fs::path& io, const std::vector<std::string>& args) {
  const fs::path out = io / "stdout", err = io / "stderr";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd_out = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fd_err = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd_out < 0 || fd_err < 0) ::_exit(127);
    ::dup2(fd_out, 1);
    ::dup2(fd_err, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(MATCHFUND_BINARY));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(MATCHFUND_BINARY, argv.data());
    ::_exit(126);
  }
  Outcome r;
  int status = 0;
  if (pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) r.status = WEXITSTATUS(status);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

TEST_F(Generator, CommandWritesFilesThatTheBinarySimulates) {
  const std::string dir = (root_ / "cli").string();
  Outcome g = run(root_, {"generate", "--profile", "giving-tuesday", "--scale=0.005", "--seed", "42", "--out", dir});
  ASSERT_EQ(g.status, 0) << g.err;
  EXPECT_NE(g.out.find("match pool (USD)"), std::string::npos) << g.out;
  EXPECT_NE(g.out.find("rows/s"), std::string::npos) << g.out;
  Outcome s = run(root_, {"simulate", "--rules", dir + "/rules.json", "--donations", dir + "/donations.csv", "--projects",
                      dir + "/projects.csv", "--ledger", dir + "/ledger.csv", "--summary", dir + "/summary.json"});
  ASSERT_EQ(s.status, 0) << s.err;
  // The library run with the same options writes the same bytes.
  generate("giving-tuesday", 0.005, 42, "lib");
  EXPECT_EQ(slurp(root_ / "lib" / "donations.csv"), slurp(root_ / "cli" / "donations.csv"));
}

TEST_F(Generator, CommandLineErrors) {
  const std::string dir = (root_ / "out").string();
  EXPECT_EQ(run(root_, {"generate", "--help"}).status, 0);
  EXPECT_NE(run(root_, {"generate", "--help"}).out.find("giving-tuesday"), std::string::npos);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"generate", "--profile", "giving-day-2017"},                                    // no --out
           {"generate", "--out", dir},                                                      // no --profile
           {"generate", "--profile", "giving-day-2099", "--out", dir},                      // unknown profile
           {"generate", "--profile", "giving-day-2017", "--scale", "0", "--out", dir},      // scale <= 0
           {"generate", "--profile", "giving-day-2017", "--scale", "-0.5", "--out", dir},
           {"generate", "--profile", "giving-day-2017", "--scale", "abc", "--out", dir},
           {"generate", "--profile", "giving-day-2017", "--scale", "nan", "--out", dir},
           {"generate", "--profile", "giving-day-2017", "--scale", "1e9", "--out", dir},
           {"generate", "--profile", "giving-day-2017", "--seed", "-1", "--out", dir},
           {"generate", "--profile", "giving-day-2017", "--seed", "9223372036854775808", "--out", dir},
           {"generate", "--profile", "giving-day-2017", "--out", dir, "extra"},
       }) {
    Outcome r = run(root_, args);
    EXPECT_EQ(r.status, 1) << args.back() << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  EXPECT_FALSE(fs::exists(dir));
  // A file where the directory should be: an I/O failure.
  { std::ofstream(root_ / "file") << "x"; }
  Outcome r = run(root_, {"generate", "--profile", "giving-tuesday", "--scale", "0.001", "--out", (root_ / "file" / "sub").string()});
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_NE(r.err.find("matchfund generate:"), std::string::npos) << r.err;
}

}  // namespace
