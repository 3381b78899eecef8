// The CSV ledger sink (SPEC 5 and 8): every row reads as the plain field by
// field text, whatever the id holds, whatever the amounts and minor units.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/csv_writer.hpp"
#include "engine/file_io.hpp"
#include "engine/hash.hpp"
#include "engine/ledger.hpp"
#include "engine/rules.hpp"

namespace matchfund {
namespace {

constexpr Minor kMax = std::numeric_limits<Minor>::max();

// SPEC 8's quoting, one character at a time.
std::string csv_field(const std::string& s) {
  bool quote = false;
  for (char c : s) quote |= c == ',' || c == '"' || c == '\r' || c == '\n';
  if (!quote) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// An amount as the point moved minor_units places into the zero-padded digits.
std::string decimal(Minor v, int minor_units) {
  std::string digits = std::to_string(v);
  if (minor_units == 0) return digits;
  if (digits.size() <= static_cast<std::size_t>(minor_units))
    digits.insert(0, minor_units + 1 - digits.size(), '0');
  return digits.substr(0, digits.size() - minor_units) + "." + digits.substr(digits.size() - minor_units);
}

// Equal ledgers, or the first line that differs: gtest's diff of two
// multi-megabyte strings would take more memory than the machine has.
::testing::AssertionResult same_ledger(const std::string& actual, const std::string& expected) {
  if (actual == expected) return ::testing::AssertionSuccess();
  const std::size_t at = static_cast<std::size_t>(
      std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end()).first - actual.begin());
  const std::size_t line_start = at == 0 ? 0 : actual.rfind('\n', at - 1) + 1;  // npos + 1 is 0
  auto line = [&](const std::string& text) { return text.substr(line_start, text.find('\n', line_start) - line_start); };
  return ::testing::AssertionFailure() << "line " << 1 + std::count(actual.begin(), actual.begin() + at, '\n')
                                       << " differs at byte " << at << ":\n  written  \"" << line(actual)
                                       << "\"\n  expected \"" << line(expected) << "\"";
}

struct Row {
  std::uint64_t seq;
  std::uint32_t pool;
  Minor base;
  Minor grant;
  LimitId limit;
};

// A campaign with four pools (one id longer than the sink's fixed-size copy
// of a pool's text), a stream holding `ids`, and the ledger a
// CsvLedgerSink writes for `rows`, read back from its file.
class LedgerSinkTest : public ::testing::Test {
 protected:
  void load(int minor_units, const std::vector<std::string>& ids) {
    campaign_ = parse_campaign(R"({"minor_units": )" + std::to_string(minor_units) + R"(, "pools": [
        {"id": "m", "budget": "1000", "match": {"ratio": "1"}},
        {"id": "corp_match.2-b", "budget": "5", "match": {"ratio": "0.5"}},
        {"id": "Z9", "budget": "7", "match": {"ratio": "2"}},
        {"id": "a-pool-id-longer-than-thirty-two-bytes", "budget": "9", "match": {"ratio": "1"}}]})",
                               "rules.json");
    stream_ = DonationStream();
    for (const std::string& id : ids) stream_.ids.append(id, fnv1a64(id));
    plan_ = std::make_unique<Plan>(campaign_, catalog_);
  }

  std::string write(const std::vector<Row>& rows) {
    static int counter = 0;
    const std::string path = ::testing::TempDir() + "/matchfund-ledger-sink-" + std::to_string(++counter) + ".csv";
    {
      AtomicOutput out(path);
      CsvLedgerSink sink(out, stream_, *plan_);
      for (const Row& r : rows) sink.row(r.seq, r.pool, r.base, r.grant, r.limit);
      sink.finish();
      out.finish();
      out.publish();
    }
    std::string text = read_file(path);
    std::remove(path.c_str());
    return text;
  }

  std::string expected(const std::vector<Row>& rows) const {
    std::string out(kLedgerHeader);
    const int mu = campaign_.minor_units;
    for (const Row& r : rows)
      out += csv_field(std::string(stream_.id(r.seq))) + "," + plan_->pools()[r.pool].rules->id + "," +
             decimal(r.base, mu) + "," + decimal(r.grant, mu) + "," + std::string(plan_->limit_name(r.limit)) + "\n";
    return out;
  }

  Campaign campaign_;
  Catalog catalog_;
  DonationStream stream_;
  std::unique_ptr<Plan> plan_;
};

TEST_F(LedgerSinkTest, QuotesExactlyTheIdsThatHoldACommaQuoteCrOrLf) {
  const std::vector<std::string> ids = {
      "d1", "a,b", "say \"hi\"", "cr\rx", "lf\nx", "crlf\r\n", ",", "\"", "\"\"", "has space", "tab\there",
      "caf\xc3\xa9",          // UTF-8: bytes above 0x7f never need quoting
      "\xff,\x80",            // nor do they stop a comma from needing it
      std::string("nul\0x", 5),  // a NUL byte is an ordinary byte
      "semi;colon", "'single'", std::string(1024, 'x'), std::string(1024, '"'), std::string(511, 'x') + ",",
  };
  load(2, ids);
  std::vector<Row> rows;
  for (std::uint64_t i = 0; i < ids.size(); ++i) rows.push_back({i, 0, 1250, 1250, kLimitNone});
  const std::string text = write(rows);
  EXPECT_TRUE(same_ledger(text, expected(rows)));
  // A few written out by hand, so the test does not only trust csv_field.
  EXPECT_NE(text.find("\nd1,m,12.50,12.50,none\n"), std::string::npos);
  EXPECT_NE(text.find("\n\"a,b\",m,12.50,12.50,none\n"), std::string::npos);
  EXPECT_NE(text.find("\n\"say \"\"hi\"\"\",m,12.50,12.50,none\n"), std::string::npos);
  EXPECT_NE(text.find("\n\"cr\rx\",m,"), std::string::npos);
  EXPECT_NE(text.find("\n\"lf\nx\",m,"), std::string::npos);
  EXPECT_NE(text.find("\n\"\"\"\",m,"), std::string::npos);
  EXPECT_NE(text.find("\nhas space,m,"), std::string::npos);
  EXPECT_NE(text.find("\ncaf\xc3\xa9,m,"), std::string::npos);
  EXPECT_NE(text.find("\n\"\xff,\x80\",m,"), std::string::npos);
}

// A quote byte at every place of ids of every length up to 40, ids with two
// such bytes, and ids that need quotes next to each other and to plain ones.
TEST_F(LedgerSinkTest, IdsWithAQuoteByteAtEveryPlaceAreQuoted) {
  std::vector<std::string> ids;
  for (std::size_t n = 1; n <= 40; ++n)
    for (std::size_t at = 0; at < n; ++at)
      for (char c : {',', '"', '\r', '\n'}) {
        std::string id = std::to_string(ids.size()) + "-";  // distinct, as a stream's ids are
        const std::size_t prefix = id.size();
        id += std::string(n, 'x');
        id[prefix + at] = c;
        ids.push_back(id);
        if (at % 3 == 0) ids.push_back(std::to_string(ids.size()) + std::string(n, 'y'));
        if (at % 5 == 0) ids.push_back(id + c + "z");  // two quote bytes
      }
  load(2, ids);
  std::vector<Row> rows;
  for (std::uint64_t i = 0; i < ids.size(); ++i) rows.push_back({i, 0, 100, 100, kLimitNone});
  EXPECT_TRUE(same_ledger(write(rows), expected(rows)));
}

TEST(CsvQuoting, AnyByteThatNeedsQuotesIsFoundAtEveryPlace) {
  // Lengths past two 16-byte vectors and a tail, every byte value at every place.
  for (std::size_t n = 1; n <= 70; ++n)
    for (std::size_t at = 0; at < n; ++at)
      for (int c = 0; c < 256; ++c) {
        std::string bytes(n, 'x');
        bytes[at] = static_cast<char>(c);
        const bool needs = c == ',' || c == '"' || c == '\r' || c == '\n';
        ASSERT_EQ(any_needs_csv_quotes(bytes), needs) << "byte " << c << " at " << at << " of " << n;
        ASSERT_EQ(needs_csv_quotes(bytes), needs) << "byte " << c << " at " << at << " of " << n;
      }
  EXPECT_FALSE(any_needs_csv_quotes(""));
}

TEST_F(LedgerSinkTest, EveryPoolIdAndLimitName) {
  load(2, {"d1", "d2"});
  std::vector<Row> rows;
  for (std::uint32_t pool = 0; pool < plan_->pools().size(); ++pool)
    for (unsigned limit = 0; limit <= plan_->pool_limit(); ++limit)
      rows.push_back({pool % 2u, pool, 100 + limit, limit, static_cast<LimitId>(limit)});
  const std::string text = write(rows);
  EXPECT_TRUE(same_ledger(text, expected(rows)));
  EXPECT_NE(text.find("\nd2,corp_match.2-b,1.00,0.00,none\n"), std::string::npos);
  EXPECT_NE(text.find(",max_total_ratio\n"), std::string::npos);
  EXPECT_NE(text.find(",pool\n"), std::string::npos);
  EXPECT_NE(text.find(",a-pool-id-longer-than-thirty-two-bytes,1.00,0.00,none\n"), std::string::npos);
}

TEST_F(LedgerSinkTest, AmountsAtTheEdgesForMinorUnitsZeroToSix) {
  const Minor values[] = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12345, 1'000'000, 9'999'999, 123'456'789'012,
                          kMax / 10, kMax - 1, kMax};
  for (int mu = 0; mu <= 6; ++mu) {
    SCOPED_TRACE("minor_units " + std::to_string(mu));
    load(mu, {"d"});
    std::vector<Row> rows;
    for (Minor base : values)
      for (Minor grant : {Minor{0}, Minor{1}, base})
        rows.push_back({0, 1, base, grant, plan_->pool_limit()});
    const std::string text = write(rows);
    EXPECT_TRUE(same_ledger(text, expected(rows)));
  }
  load(2, {"d"});
  EXPECT_EQ(write({{0, 0, 0, 1, kLimitNone}, {0, 0, kMax, kMax, kLimitNone}}),
            std::string(kLedgerHeader) + "d,m,0.00,0.01,none\nd,m,92233720368547758.07,92233720368547758.07,none\n");
  load(0, {"d"});
  EXPECT_EQ(write({{0, 0, kMax, 7, kLimitNone}}), std::string(kLedgerHeader) + "d,m,9223372036854775807,7,none\n");
  load(6, {"d"});
  EXPECT_EQ(write({{0, 0, 5, 1'000'000, kLimitNone}}), std::string(kLedgerHeader) + "d,m,0.000005,1.000000,none\n");
}

// Enough rows for several flushes of the output buffer and several of the
// blocks the sink formats on its own thread (the last block partly filled,
// formatted by finish()), with random ids (some needing quotes, some long),
// pools, amounts and limits.
TEST_F(LedgerSinkTest, ManyRandomRowsAcrossFlushes) {
  std::mt19937_64 rng(20170907);
  const std::string alphabet = "abcXYZ019_-. ,\"\r\n\xc3\xa9";
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) {
    std::size_t length = rng() % 8 == 0 ? 1 + rng() % 1024 : 1 + rng() % 16;
    std::string id = std::to_string(i);  // distinct, as a stream's ids are
    for (std::size_t k = 0; k < length; ++k) id += alphabet[rng() % alphabet.size()];
    ids.push_back(id);
  }
  load(3, ids);
  std::vector<Row> rows;
  for (int i = 0; i < 60'000; ++i) {
    // Amounts of every length: a random value shifted right by a random count.
    Minor base = static_cast<Minor>(rng() >> (1 + rng() % 63));
    Minor grant = static_cast<Minor>(rng() >> (1 + rng() % 63));
    rows.push_back({rng() % ids.size(), static_cast<std::uint32_t>(rng() % plan_->pools().size()), base, grant,
                    static_cast<LimitId>(rng() % (plan_->pool_limit() + 1u))});
  }
  const std::string text = write(rows);
  ASSERT_GT(text.size(), std::size_t{3} << 20);
  EXPECT_TRUE(same_ledger(text, expected(rows)));
}

// The streamed run's way: ids given a column at a time, each before its rows,
// from columns the sink hands back once their rows are written.
TEST_F(LedgerSinkTest, IdsGivenColumnByColumnAreFoundAndTheirColumnsReused) {
  std::mt19937_64 rng(99);
  std::vector<std::string> ids;
  for (int i = 0; i < 120'000; ++i) ids.push_back("d" + std::to_string(i) + (rng() % 50 == 0 ? ",q" : ""));
  load(2, ids);  // the stream is only for expected()
  std::vector<Row> rows;
  const std::string path = ::testing::TempDir() + "/matchfund-ledger-sink-columns.csv";
  std::size_t reused = 0;
  {
    AtomicOutput out(path);
    CsvLedgerSink sink(out, *plan_);
    std::vector<const StringColumn*> given;
    for (std::size_t first = 0; first < ids.size();) {
      // Small columns, so that blocks of rows start near a column's end.
      const std::size_t count = std::min<std::size_t>(1 + rng() % 40, ids.size() - first);
      std::unique_ptr<StringColumn> column = sink.spare_ids();
      ASSERT_EQ(column->size(), 0u);
      reused += std::find(given.begin(), given.end(), column.get()) != given.end();
      given.push_back(column.get());
      for (std::size_t k = first; k < first + count; ++k) column->append(ids[k], fnv1a64(ids[k]));
      sink.add_ids(std::move(column));
      for (std::size_t seq = first; seq < first + count; ++seq)
        for (std::uint64_t n = rng() % 3; n > 0; --n) {
          rows.push_back({seq, static_cast<std::uint32_t>(rng() % 4), 100, 50, kLimitNone});
          sink.row(rows.back().seq, rows.back().pool, 100, 50, kLimitNone);
        }
      first += count;
    }
    sink.finish();
    out.finish();
    out.publish();
  }
  const std::string text = read_file(path);
  std::remove(path.c_str());
  ASSERT_GT(rows.size(), std::size_t{6} * (std::size_t{1} << 14)) << "the rows should span several blocks";
  EXPECT_GT(reused, 0u) << "no column was handed back for reuse";
  EXPECT_TRUE(same_ledger(text, expected(rows)));
}

// A run that fails midway drops its sink without finish(), with blocks handed
// to the formatting thread: the sink stops it, and no ledger appears.
TEST_F(LedgerSinkTest, ASinkDroppedMidwayStopsItsThreadAndLeavesNoLedger) {
  load(2, {"d1", "d2", "d3"});
  const std::string path = ::testing::TempDir() + "/matchfund-ledger-sink-dropped.csv";
  std::remove(path.c_str());
  {
    AtomicOutput out(path);
    CsvLedgerSink sink(out, stream_, *plan_);
    for (std::uint64_t i = 0; i < 100'000; ++i) sink.row(i % 3, 0, 100, 100, kLimitNone);
  }
  std::FILE* file = std::fopen(path.c_str(), "r");
  EXPECT_EQ(file, nullptr) << path << " exists";
  if (file) std::fclose(file);
}

}  // namespace
}  // namespace matchfund
