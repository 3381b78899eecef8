// `matchfund report` end to end: a tiny generated stream, a sweep over it, the
// report written from the results folder, then rendered in headless Chromium
// (Debian's `chromium`, installed by scripts/setup.sh): the screenshot is
// decoded and must not be blank, the rendered DOM must hold every chart with
// drawn paths, and clicking a header must sort the comparison table.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "png_image.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using matchfund::test_support::slurp;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `command` through the shell with stdout and stderr in files; returns the exit status.
int run(const std::string& command, const fs::path& out, const fs::path& err) {
  const int status = std::system((command + " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string())).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string matchfund(const std::vector<std::string>& args) {
  std::string command = shell_quote(MATCHFUND_BINARY);
  for (const std::string& a : args) command += " " + shell_quote(a);
  return command;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// One generated stream, one sweep (2 scenarios x 2 seeds) and its report, shared by the tests.
class Report : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() / ("matchfund_report_test_" + std::to_string(::getpid())));
    fs::remove_all(*root_);
    fs::create_directories(*root_);
    const fs::path data = *root_ / "data";
    ASSERT_EQ(run(matchfund({"generate", "--profile", "giving-day-2017", "--scale", "0.002", "--seed", "3", "--out",
                             data.string()}),
                  *root_ / "gen.out", *root_ / "gen.err"),
              0)
        << slurp(*root_ / "gen.err");
    ASSERT_EQ(run(matchfund({"sweep", "--rules", (data / "rules.json").string(), "--donations",
                             (data / "donations.csv").string(), "--projects", (data / "projects.csv").string(),
                             "--vary", "pools[platform-day1].caps.per_donor.amount=99,999", "--seeds", "2",
                             "--threads", "1", "--out", results().string()}),
                  *root_ / "sweep.out", *root_ / "sweep.err"),
              0)
        << slurp(*root_ / "sweep.err");
    ASSERT_EQ(run(matchfund({"report", "--in", results().string(), "--out", report().string()}), *root_ / "report.out",
                  *root_ / "report.err"),
              0)
        << slurp(*root_ / "report.err");
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
  }
  void SetUp() override {
    ASSERT_TRUE(fs::exists(report())) << "the shared sweep and report did not run";
  }

  static fs::path results() { return *root_ / "results"; }
  static fs::path report() { return *root_ / "report.html"; }

  // Runs headless Chromium on `page` with the given output option; fails the
  // test when chromium is not installed (scripts/setup.sh installs it).
  static std::string chromium(const fs::path& page, const std::string& option, const std::string& name) {
    const int found = std::system("command -v chromium >/dev/null 2>&1");
    if (found != 0) {
      ADD_FAILURE() << "chromium is not installed: the report test renders the page in headless Chromium; "
                       "run scripts/setup.sh (Debian package 'chromium')";
      return "";
    }
    const fs::path out = *root_ / (name + ".out"), err = *root_ / (name + ".err");
    const std::string command =
        "timeout 180 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
        "--hide-scrollbars --user-data-dir=" +
        shell_quote((*root_ / "profile").string()) + " --window-size=1200,3000 " + option + " " +
        shell_quote("file://" + fs::absolute(page).string());
    const int status = run(command, out, err);
    EXPECT_EQ(status, 0) << "chromium failed:\n" << slurp(err);
    return slurp(out);
  }

  static fs::path* root_;
};

fs::path* Report::root_ = nullptr;

TEST_F(Report, IsOneSelfContainedPage) {
  const std::string html = slurp(report());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Two scenarios: two depletion charts; one of each other chart.
  EXPECT_EQ(count_of(html, "data-chart=\"depletion\""), 2u);
  for (const char* kind : {"categories", "lorenz-projects", "lorenz-orgs", "ratios"})
    EXPECT_EQ(count_of(html, std::string("data-chart=\"") + kind + "\""), 1u) << kind;
  // The generated rules release the daily pools in tranches: dotted release markers.
  EXPECT_GE(count_of(html, "stroke-dasharray=\"2,3\"><title>"), 2u);
  EXPECT_NE(html.find("<table class=\"sortable\">"), std::string::npos);
  // Seeds = 2: the bands table, one row per scenario.
  EXPECT_EQ(count_of(html, "<tr>"), 1u + 2u);
  EXPECT_NE(html.find("<span class=\"band\">"), std::string::npos);
  // Nothing fetched: no external script, stylesheet, image or font.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(count_of(html, "http"), count_of(html, "xmlns=\"http://www.w3.org/2000/svg\""));
}

TEST_F(Report, MissingOrMalformedFileIsAnInputErrorNamingIt) {
  const fs::path broken = *root_ / "broken", out = *root_ / "broken.html";
  fs::copy(results(), broken, fs::copy_options::recursive);
  fs::remove(broken / "scenarios" / "0" / "lorenz.csv");
  EXPECT_EQ(run(matchfund({"report", "--in", broken.string(), "--out", out.string()}), *root_ / "b.out",
                *root_ / "b.err"),
            3);
  EXPECT_NE(slurp(*root_ / "b.err").find("scenarios/0/lorenz.csv"), std::string::npos) << slurp(*root_ / "b.err");
  EXPECT_FALSE(fs::exists(out));

  std::ofstream(broken / "sweep.json") << "{\"seeds\": 2, \"rows\": [";
  EXPECT_EQ(run(matchfund({"report", "--in", broken.string(), "--out", out.string()}), *root_ / "b.out",
                *root_ / "b.err"),
            3);
  EXPECT_NE(slurp(*root_ / "b.err").find("sweep.json"), std::string::npos) << slurp(*root_ / "b.err");
  EXPECT_FALSE(fs::exists(out));
  // Nothing partial is left beside the output.
  for (const auto& e : fs::directory_iterator(*root_))
    EXPECT_EQ(e.path().filename().string().find("broken.html"), std::string::npos) << e.path();
}

TEST_F(Report, ChromiumScreenshotIsNotBlank) {
  const fs::path png = *root_ / "report.png";
  chromium(report(), "--screenshot=" + shell_quote(png.string()), "screenshot");
  ASSERT_TRUE(fs::exists(png));
  const matchfund::test_support::PngImage img = matchfund::test_support::decode_png(slurp(png));
  ASSERT_EQ(img.error, "");
  EXPECT_EQ(img.width, 1200u);
  EXPECT_EQ(img.height, 3000u);
  std::set<std::uint32_t> colours;
  std::size_t inked = 0;  // pixels that are not near-white
  const std::size_t pixels = std::size_t(img.width) * img.height;
  for (std::size_t i = 0; i < pixels; ++i) {
    const std::uint8_t* p = &img.pixels[i * img.channels];
    colours.insert(std::uint32_t(p[0]) << 16 | std::uint32_t(p[1]) << 8 | p[2]);
    if (p[0] < 200 || p[1] < 200 || p[2] < 200) ++inked;
  }
  // Coloured curves, bars and anti-aliased text give hundreds of colours; a blank page one.
  EXPECT_GE(colours.size(), 50u);
  EXPECT_GE(inked, pixels / 100);
}

TEST_F(Report, ChromiumRendersEveryChartWithDrawnPaths) {
  const std::string dom = chromium(report(), "--dump-dom", "dom");
  for (const char* kind : {"depletion", "lorenz-projects", "lorenz-orgs", "ratios"}) {
    const std::size_t start = dom.find(std::string("data-chart=\"") + kind + "\"");
    ASSERT_NE(start, std::string::npos) << kind;
    const std::string svg = dom.substr(start, dom.find("</svg>", start) - start);
    EXPECT_GE(count_of(svg, "class=\"series\""), 1u) << kind;
    EXPECT_EQ(count_of(svg, "d=\"\""), 0u) << kind << ": an empty path";
    EXPECT_GE(count_of(svg, " L"), 10u) << kind << ": paths with hardly any points";
    EXPECT_GE(count_of(svg, "class=\"tick-label\""), 4u) << kind;
  }
  const std::size_t bars = dom.find("data-chart=\"categories\"");
  ASSERT_NE(bars, std::string::npos);
  EXPECT_GE(count_of(dom.substr(bars, dom.find("</svg>", bars) - bars), "class=\"bar\""), 2u);
}

// The column values (data-v) of the rendered table, top to bottom.
std::vector<std::string> column_values(const std::string& dom, std::size_t column) {
  std::vector<std::string> values;
  const std::size_t body = dom.find("<tbody>");
  for (std::size_t row = dom.find("<tr>", body); row != std::string::npos; row = dom.find("<tr>", row + 1)) {
    std::size_t cell = row;
    for (std::size_t c = 0; c <= column; ++c) cell = dom.find("<td data-v=\"", cell + 1);
    const std::size_t begin = cell + 12;
    values.push_back(dom.substr(begin, dom.find('"', begin) - begin));
  }
  return values;
}

TEST_F(Report, ClickingAHeaderSortsTheTable) {
  // The key column "scenario" is 0, 1 as written; clicking it twice sorts it descending.
  std::string html = slurp(report());
  html.insert(html.rfind("</body>"),
              "<script>var th = document.querySelector('table.sortable th'); th.click(); th.click();</script>");
  const fs::path page = *root_ / "clicked.html";
  std::ofstream(page) << html;
  const std::string dom = chromium(page, "--dump-dom", "clicked");
  EXPECT_EQ(column_values(slurp(report()), 0), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(column_values(dom, 0), (std::vector<std::string>{"1", "0"}));
  EXPECT_NE(dom.find("aria-sort=\"descending\""), std::string::npos);
}

}  // namespace
