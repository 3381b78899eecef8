// DonationRowReader (engine/donation_rows.hpp) reads a donations file in
// stretches guessed at line feeds, on two threads: whatever the stretch
// size, it hands out the rows, their lines and the first fault exactly as a
// single read from start to end does. Small stretches put every kind of
// record (quoted line breaks, CRLF, empty lines) across a cut.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/donation_rows.hpp"
#include "engine/error.hpp"
#include "engine/hash.hpp"
#include "engine/ingest.hpp"

namespace matchfund {
namespace {

struct ReadRow {
  std::string id, donor, project, channel;
  Micros time;
  Minor amount;
  std::size_t line;
  friend bool operator==(const ReadRow&, const ReadRow&) = default;
};

struct Read {
  std::vector<ReadRow> rows;
  std::optional<std::string> error;  // the fault's message, raised after the rows
};

Read read_in_stretches(const std::string& text, std::size_t stretch_bytes) {
  Read out;
  CsvReader reader(text, "gifts.csv");
  EXPECT_TRUE(reader.next());
  CsvHeader header(reader, {"id", "time", "donor", "project", "amount", "channel"});
  const DonationColumns columns = DonationColumns::from(reader, header);
  DonationRowReader rows(reader, header.width(), columns, 2, text, stretch_bytes);
  for (;;) {
    const RowBatch& batch = rows.next();
    for (std::size_t k = 0; k < batch.count(); ++k) {
      const PendingRow& r = batch.rows[k];
      const std::uint32_t id_begin = k == 0 ? 0 : batch.id_ends[k - 1];
      const std::string id = batch.id_bytes.substr(id_begin, batch.id_ends[k] - id_begin);
      EXPECT_EQ(batch.id_hash[k], fnv1a64(id)) << id;
      out.rows.push_back({id, std::string(r.donor), std::string(r.project), std::string(r.channel), batch.time[k],
                          batch.amount[k], batch.line[k] + batch.line_base});
    }
    const bool last = batch.last;
    const std::exception_ptr error = batch.error;
    rows.done_with();
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const Error& e) {
        out.error = e.what();
      }
    }
    if (last) return out;
  }
}

// A file of `rows` records with every shape the reader takes: plain rows,
// quoted fields holding commas, doubled quotes and line breaks, CRLF line
// ends and empty lines between records.
std::string varied_file(std::size_t rows, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text = "id,time,donor,project,amount,channel\n";
  for (std::size_t i = 0; i < rows; ++i) {
    std::string donor = "u" + std::to_string(rng() % 50);
    switch (rng() % 6) {
      case 0: donor = "\"u,\"\"" + std::to_string(rng() % 50) + "\"\"\""; break;  // u,"7"
      case 1: donor = "\"line\nbreak " + std::to_string(rng() % 5) + "\""; break;
      case 2: donor = "\"two\r\n\nbreaks\""; break;
      default: break;
    }
    text += "d" + std::to_string(i) + ",2017-09-07T09:00:0" + std::to_string(rng() % 10) + "+08:00," + donor + ",p" +
            std::to_string(rng() % 7) + "," + std::to_string(1 + rng() % 999) + "." + std::to_string(rng() % 10) +
            ",cash";
    text += rng() % 4 == 0 ? "\r\n" : "\n";
    if (rng() % 9 == 0) text += rng() % 2 ? "\n" : "\r\n";  // an empty line
  }
  return text;
}

TEST(DonationRowReaderTest, StretchesOfAnySizeReadTheRowsAndLinesOfOneRead) {
  const std::string text = varied_file(3000, 1);
  const Read whole = read_in_stretches(text, text.size());
  ASSERT_FALSE(whole.error) << *whole.error;
  ASSERT_EQ(whole.rows.size(), 3000u);
  EXPECT_GT(whole.rows.back().line, 3001u) << "the file has multi-line records and empty lines";
  for (std::size_t stretch : {1, 2, 7, 31, 64, 200, 4096}) {
    const Read split = read_in_stretches(text, stretch);
    EXPECT_FALSE(split.error) << "stretch " << stretch << ": " << *split.error;
    EXPECT_TRUE(split.rows == whole.rows) << "stretch " << stretch << ": the rows differ";
  }
}

TEST(DonationRowReaderTest, AFaultIsRaisedAfterTheRowsBeforeItWithItsLine) {
  std::string text = varied_file(2000, 2);
  // A bad amount in the record after the 1500th id's, wherever that is.
  const std::size_t at = text.find("\nd1500,") + 1;
  const std::size_t amount_end = text.find(",cash", at);
  text.replace(text.rfind(',', amount_end - 1) + 1, amount_end - text.rfind(',', amount_end - 1) - 1, "12.345");
  const Read whole = read_in_stretches(text, text.size());
  ASSERT_TRUE(whole.error);
  ASSERT_EQ(whole.rows.size(), 1500u);
  EXPECT_NE(whole.error->find("gifts.csv, line " + std::to_string(whole.rows.back().line + 1)), std::string::npos)
      << *whole.error;
  for (std::size_t stretch : {1, 5, 64, 333}) {
    const Read split = read_in_stretches(text, stretch);
    EXPECT_EQ(split.error, whole.error) << "stretch " << stretch;
    EXPECT_TRUE(split.rows == whole.rows) << "stretch " << stretch << ": the rows before the fault differ";
  }
}

// A stretch cut inside a quoted field that runs to the end of the file: the
// guesses past the cut fail or read nothing, and the true read names the
// unclosed quote at the line where its record starts.
TEST(DonationRowReaderTest, AQuoteLeftOpenIsNamedAtItsRecordWhateverTheCuts) {
  std::string text = varied_file(300, 3);
  const std::size_t last_line_start = text.rfind('\n', text.size() - 3) + 1;
  text.insert(text.find(',', last_line_start) + 1, "\"open\n,a,b\nd9,c\n");
  const Read whole = read_in_stretches(text, text.size());
  ASSERT_TRUE(whole.error);
  EXPECT_NE(whole.error->find("unclosed quote"), std::string::npos) << *whole.error;
  for (std::size_t stretch : {1, 3, 40}) {
    const Read split = read_in_stretches(text, stretch);
    EXPECT_EQ(split.error, whole.error) << "stretch " << stretch;
    EXPECT_TRUE(split.rows == whole.rows) << "stretch " << stretch;
  }
}

TEST(DonationRowReaderTest, AFileWithNoRowsGivesOneLastEmptyBatch) {
  for (const std::string text : {"id,time,donor,project,amount\n", "id,time,donor,project,amount\n\n\r\n"}) {
    const Read read = read_in_stretches(text, 1);
    EXPECT_FALSE(read.error);
    EXPECT_TRUE(read.rows.empty());
  }
}

}  // namespace
}  // namespace matchfund
