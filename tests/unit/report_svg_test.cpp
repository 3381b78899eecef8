// The report's building blocks on small inputs worked out by hand: scales,
// ticks and their labels, path data, histogram bins, escaping, the comparison
// table and the results-folder readers' errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/error.hpp"
#include "engine/report/charts.hpp"
#include "engine/report/comparison_table.hpp"
#include "engine/report/results_files.hpp"
#include "engine/report/scale.hpp"
#include "engine/report/svg.hpp"
#include "test_support.hpp"

namespace matchfund::report {
namespace {

namespace fs = std::filesystem;
using test_support::error_of;

TEST(ReportScale, MapsDomainOntoRange) {
  const LinearScale x{0, 10, 50, 150};
  EXPECT_DOUBLE_EQ(x(0), 50);
  EXPECT_DOUBLE_EQ(x(2.5), 75);
  EXPECT_DOUBLE_EQ(x(10), 150);
  const LinearScale y{0, 100, 300, 20};  // upwards: 0 at the bottom
  EXPECT_DOUBLE_EQ(y(25), 230);
  EXPECT_DOUBLE_EQ(y(100), 20);
  EXPECT_DOUBLE_EQ((LinearScale{5, 5, 7, 9}(5)), 7);  // zero-width domain
}

TEST(ReportScale, NiceTicksUseOneTwoFiveSteps) {
  // (97 - 0) / 5 = 19.4 -> step 20.
  Ticks t = nice_ticks(0, 97, 5);
  EXPECT_DOUBLE_EQ(t.step, 20);
  EXPECT_EQ(t.values, (std::vector<double>{0, 20, 40, 60, 80}));
  // 0.78 / 4 = 0.195 -> step 0.2, starting at the first multiple above 0.13.
  t = nice_ticks(0.13, 0.91, 4);
  EXPECT_DOUBLE_EQ(t.step, 0.2);
  ASSERT_EQ(t.values.size(), 4u);
  EXPECT_NEAR(t.values[0], 0.2, 1e-12);
  EXPECT_NEAR(t.values[3], 0.8, 1e-12);
  // 1 / 5 = 0.2 exactly: both ends are ticks.
  t = nice_ticks(0, 1, 5);
  EXPECT_EQ(t.values.size(), 6u);
  EXPECT_NEAR(t.values.back(), 1, 1e-12);
  // 30 / 8 = 3.75 -> step 5.
  EXPECT_DOUBLE_EQ(nice_ticks(-10, 20, 8).step, 5);
  EXPECT_DOUBLE_EQ(nice_ticks(-10, 20, 8).values.front(), -10);
}

TEST(ReportScale, NiceCeilingEndsOnATick) {
  EXPECT_DOUBLE_EQ(nice_ceiling(97, 5), 100);   // step 20
  EXPECT_DOUBLE_EQ(nice_ceiling(100, 5), 100);  // already on a tick
  EXPECT_DOUBLE_EQ(nice_ceiling(0.33, 5), 0.4); // step 0.1
  EXPECT_DOUBLE_EQ(nice_ceiling(1234, 5), 1500);  // step 500
}

TEST(ReportScale, HourTicksUseClockSteps) {
  // 72 / 8 = 9 hours -> every 12 hours.
  Ticks t = hour_ticks(0, 72, 8);
  EXPECT_DOUBLE_EQ(t.step, 12);
  EXPECT_EQ(t.values, (std::vector<double>{0, 12, 24, 36, 48, 60, 72}));
  EXPECT_EQ(hour_ticks(-1.5, 5, 8).values, (std::vector<double>{-1, 0, 1, 2, 3, 4, 5}));
  // 1000 / 8 = 125 hours -> whole days: 6 days.
  EXPECT_DOUBLE_EQ(hour_ticks(0, 1000, 8).step, 144);
}

TEST(ReportScale, TickLabelsUseUnitsAndNeededDecimals) {
  EXPECT_EQ(tick_labels({{0, 500000, 1000000}, 500000}), (std::vector<std::string>{"0", "0.5M", "1M"}));
  EXPECT_EQ(tick_labels({{0, 20000, 40000}, 20000}), (std::vector<std::string>{"0", "20k", "40k"}));
  EXPECT_EQ(tick_labels({{0, 2000, 4000}, 2000}), (std::vector<std::string>{"0", "2000", "4000"}));
  EXPECT_EQ(tick_labels({{0.2, 0.4, 0.6}, 0.2}), (std::vector<std::string>{"0.2", "0.4", "0.6"}));
  EXPECT_EQ(tick_labels({{-0.05, 0, 0.05}, 0.05}), (std::vector<std::string>{"-0.05", "0", "0.05"}));
  EXPECT_EQ(tick_labels({{0, 2e9}, 2e9}), (std::vector<std::string>{"0", "2G"}));
}

TEST(ReportSvg, LinePathScalesEveryPoint) {
  const LinearScale x{0, 10, 0, 100}, y{0, 1, 200, 0};
  EXPECT_EQ(line_path({0, 5, 10}, {0, 0.5, 1}, x, y), "M0,200 L50,100 L100,0");
  EXPECT_EQ(line_path({1.23}, {0.25}, x, y), "M12.3,150");
  EXPECT_EQ(line_path({}, {}, x, y), "");
}

TEST(ReportSvg, FormatsPixelsAndNumbers) {
  EXPECT_EQ(px(12.0), "12");
  EXPECT_EQ(px(12.25), "12.2");  // printf rounds half to even on the binary value
  EXPECT_EQ(px(-0.01), "0");
  EXPECT_EQ(format_number(1234567.8), "1234568");
  EXPECT_EQ(format_number(12.345), "12.3");
  EXPECT_EQ(format_number(0.04567), "0.0457");
  EXPECT_EQ(format_number(std::nan("")), "");
}

TEST(ReportSvg, EscapesMarkupAndShortensByCharacters) {
  EXPECT_EQ(escape_xml("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(shorten("abcdef", 4), "abc…");
  EXPECT_EQ(shorten("abcd", 4), "abcd");
  // Three-byte characters are never cut in the middle.
  EXPECT_EQ(shorten("教育扶贫助学", 3), "教育…");
}

TEST(ReportSvg, AxesDrawOneLabelPerTick) {
  const Plot plot = make_plot(0, 10, 0, 100);
  const std::string s = axes(plot, {"hours", nice_ticks(0, 10, 5)}, {"matched", nice_ticks(0, 100, 5)});
  std::size_t labels = 0;
  for (std::size_t at = s.find("tick-label"); at != std::string::npos; at = s.find("tick-label", at + 1)) ++labels;
  EXPECT_EQ(labels, 6u + 6u);  // 0,2,...,10 and 0,20,...,100
  EXPECT_NE(s.find(">hours<"), std::string::npos);
  EXPECT_NE(s.find(">matched<"), std::string::npos);
  // The x tick at 10 sits at the right end of the plot area (560 - 16).
  EXPECT_NE(s.find("x1=\"544\" x2=\"544\""), std::string::npos);
}

TEST(ReportCharts, HistogramCountsEqualBins) {
  // Bins of width 0.5 over [0, 2]: [0,.5) [.5,1) [1,1.5) [1.5,2]; 2 is in the last, 2.5 and NaN nowhere.
  EXPECT_EQ(histogram({0, 0.2, 0.5, 1.2, 1.9, 2, 2.5, std::nan("")}, 0, 2, 4),
            (std::vector<std::size_t>{2, 1, 1, 2}));
  EXPECT_EQ(histogram({1, 2}, 3, 3, 2), (std::vector<std::size_t>{0, 0}));
}

TEST(ReportCharts, HistogramStepsOutlineTheBars) {
  const Series s = histogram_steps({2, 1}, 0, 2);
  EXPECT_EQ(s.x, (std::vector<double>{0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(s.y, (std::vector<double>{0, 2, 2, 1, 1, 0}));
}

TEST(ReportCharts, BarChartDrawsOneBarPerGroupAndCategory) {
  const std::string s = bar_chart("categories", "t", "matched", {"edu", "", "health"},
                                  {{"a", "#000", {10, 20, 40}}, {"b", "#111", {5, 0, 0}}});
  std::size_t bars = 0;
  for (std::size_t at = s.find("class=\"bar\""); at != std::string::npos; at = s.find("class=\"bar\"", at + 1)) ++bars;
  EXPECT_EQ(bars, 6u);
  EXPECT_NE(s.find("(none)"), std::string::npos);  // the empty category
  // 40 is the top tick (step 10): its bar spans the plot width 560 - 16 - 150.
  EXPECT_NE(s.find("width=\"394\""), std::string::npos);
}

TEST(ReportTable, BandedColumnsBecomeOneColumnPerMetric) {
  CsvTable t;
  t.header = {"scenario", "pools[0].budget", "matched:mean", "matched:p5", "matched:p95"};
  t.rows = {{"0", "100", "12.5", "10", "15"}, {"1", "200", "", "", ""}};
  const std::string html = comparison_table(t, 2, true);
  EXPECT_NE(html.find("<th title=\"click to sort\">matched</th>"), std::string::npos);
  EXPECT_EQ(html.find("matched:p5"), std::string::npos);
  EXPECT_NE(html.find("<td data-v=\"12.5\">12.5<span class=\"band\">10 – 15</span></td>"), std::string::npos);
  EXPECT_NE(html.find("<td data-v=\"\"></td>"), std::string::npos);
  // Unbanded, every column shows as written.
  EXPECT_NE(comparison_table(t, 2, false).find(">matched:p95</th>"), std::string::npos);
}

class ReportFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("report_files_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST_F(ReportFiles, MissingFileIsAnInputErrorNamingIt) {
  const auto e = error_of([&] { read_results_csv(dir_ / "metrics.csv"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::input);
  EXPECT_NE(std::string(e->what()).find("metrics.csv"), std::string::npos);
}

TEST_F(ReportFiles, BadNumberNamesFileLineAndColumn) {
  const CsvTable t = read_results_csv(write("lorenz.csv", "population_share,projects\n0,0\n1,abc\n"));
  EXPECT_DOUBLE_EQ(t.number(0, 1), 0);
  const auto e = error_of([&] { t.number(1, 1); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::input);
  EXPECT_NE(std::string(e->what()).find("lorenz.csv, line 3, column projects"), std::string::npos);
  EXPECT_TRUE(std::isnan(parse_number("")));
  EXPECT_TRUE(std::isnan(parse_number("1.5x")));
  EXPECT_DOUBLE_EQ(parse_number("1.5e-05"), 1.5e-05);
}

TEST_F(ReportFiles, RaggedRowsAndBadJsonAreInputErrors) {
  const auto ragged = error_of([&] { read_results_csv(write("m.csv", "a,b\n1\n")); });
  ASSERT_TRUE(ragged);
  EXPECT_EQ(ragged->kind(), ErrorKind::input);
  const auto json = error_of([&] { read_results_json(write("sweep.json", "{\"rows\": [")); });
  ASSERT_TRUE(json);
  EXPECT_EQ(json->kind(), ErrorKind::input);
  EXPECT_NE(std::string(json->what()).find("sweep.json"), std::string::npos);
}

}  // namespace
}  // namespace matchfund::report
