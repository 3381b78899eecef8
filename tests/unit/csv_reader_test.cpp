// RFC 4180 reading with the corner rules of SPEC 2 and 8.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/error.hpp"
#include "engine/limits.hpp"
#include "unit/test_support.hpp"

namespace matchfund {
namespace {

struct Record {
  std::size_t line;
  std::vector<std::string> fields;
  friend bool operator==(const Record&, const Record&) = default;
};

void PrintTo(const Record& r, std::ostream* os) {
  *os << "{line " << r.line << ":";
  for (const auto& f : r.fields) *os << " [" << f << "]";
  *os << "}";
}

std::vector<Record> read_all(std::string_view text, const std::string& label = "data.csv") {
  CsvReader reader(text, label);
  std::vector<Record> out;
  while (reader.next()) {
    Record r{reader.line(), {}};
    for (std::string_view f : reader.fields()) r.fields.emplace_back(f);
    out.push_back(std::move(r));
  }
  return out;
}

// Runs f and returns the matchfund::Error it throws, or nullopt.
using matchfund::test_support::error_of;

// Reading all of `text` fails with an input error whose message starts with
// "<label>, line <line>" (and names `column` when given).
::testing::AssertionResult FailsAt(std::string_view text, std::size_t line, const std::string& column = "") {
  auto e = error_of([&] { read_all(text, "gifts.csv"); });
  if (!e) return ::testing::AssertionFailure() << "no error was thrown";
  if (e->kind() != ErrorKind::input)
    return ::testing::AssertionFailure() << "kind " << static_cast<int>(e->kind()) << ": " << e->what();
  std::string msg = e->what();
  std::string want = "gifts.csv, line " + std::to_string(line);
  if (msg.rfind(want, 0) != 0) return ::testing::AssertionFailure() << "message \"" << msg << "\" lacks \"" << want << "\"";
  // The line number must not be a prefix of a longer number ("line 2" vs "line 23").
  char after = msg.size() > want.size() ? msg[want.size()] : '\0';
  if (after >= '0' && after <= '9')
    return ::testing::AssertionFailure() << "message \"" << msg << "\" names another line";
  if (!column.empty() && msg.find("column " + column) == std::string::npos)
    return ::testing::AssertionFailure() << "message \"" << msg << "\" lacks column " << column;
  return ::testing::AssertionSuccess() << msg;
}

// ------------------------------------------------------------------- records

TEST(CsvReader, PlainRecordsWithLineNumbers) {
  auto records = read_all("a,b\n1,2\n3,4\n");
  EXPECT_EQ(records, (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}, {3, {"3", "4"}}}));
}

TEST(CsvReader, LastRecordWithoutLineEnd) {
  EXPECT_EQ(read_all("a,b\n1,2"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}}));
}

TEST(CsvReader, EmptyFieldsAndTrailingComma) {
  EXPECT_EQ(read_all("a,,b\n,\nx,\n"),
            (std::vector<Record>{{1, {"a", "", "b"}}, {2, {"", ""}}, {3, {"x", ""}}}));
  // A trailing comma at the very end of the file still ends an empty field.
  EXPECT_EQ(read_all("a,"), (std::vector<Record>{{1, {"a", ""}}}));
}

TEST(CsvReader, FieldsAreNotTrimmed) {
  EXPECT_EQ(read_all(" a , b \n"), (std::vector<Record>{{1, {" a ", " b "}}}));
  EXPECT_EQ(read_all("\ta\t\n"), (std::vector<Record>{{1, {"\ta\t"}}}));
}

TEST(CsvReader, QuotedFieldsAndDoubledQuotes) {
  // "a,b" holds a comma; "c""d" is c"d; "" is empty; """" is one quote.
  auto records = read_all("\"a,b\",\"c\"\"d\",\"\",\"\"\"\"\nplain,\"q\"\n");
  EXPECT_EQ(records, (std::vector<Record>{{1, {"a,b", "c\"d", "", "\""}}, {2, {"plain", "q"}}}));
}

TEST(CsvReader, SeveralEscapedFieldsInOneRecordStayDistinct) {
  // Unescaped copies share one scratch buffer; each field must keep its own text.
  auto records = read_all("\"x\"\"1\",\"y\"\"2\",\"z\"\"3\"\n\"a\"\"\",b\n");
  EXPECT_EQ(records, (std::vector<Record>{{1, {"x\"1", "y\"2", "z\"3"}}, {2, {"a\"", "b"}}}));
}

TEST(CsvReader, QuotedFieldSpanningLinesKeepsTheStartLine) {
  // Record 2 starts on line 2 and ends on line 4; the next record is line 5.
  auto records = read_all("h1,h2\n\"x\ny\nz\",w\nnext,row\n");
  EXPECT_EQ(records,
            (std::vector<Record>{{1, {"h1", "h2"}}, {2, {"x\ny\nz", "w"}}, {5, {"next", "row"}}}));
  // Line ends inside quotes are kept exactly, CRLF included.
  auto crlf = read_all("\"a\r\nb\",c\r\nd,e\r\n");
  EXPECT_EQ(crlf, (std::vector<Record>{{1, {"a\r\nb", "c"}}, {3, {"d", "e"}}}));
  // A lone CR inside quotes is data, not a line end.
  auto cr = read_all("\"a\rb\"\nc\n");
  EXPECT_EQ(cr, (std::vector<Record>{{1, {"a\rb"}}, {2, {"c"}}}));
}

TEST(CsvReader, CrLfLineEnds) {
  EXPECT_EQ(read_all("a,b\r\n1,2\r\n"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}}));
  // Mixed line ends in one file.
  EXPECT_EQ(read_all("a\r\nb\nc\r\n"), (std::vector<Record>{{1, {"a"}}, {2, {"b"}}, {3, {"c"}}}));
  // A quoted field right before CRLF.
  EXPECT_EQ(read_all("\"a\"\r\n\"b\"\r\n"), (std::vector<Record>{{1, {"a"}}, {2, {"b"}}}));
}

TEST(CsvReader, EmptyLinesAreSkippedButCounted) {
  auto records = read_all("\n\na\n\r\n\nb\n\n");
  EXPECT_EQ(records, (std::vector<Record>{{3, {"a"}}, {6, {"b"}}}));
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\n\r\n\n").empty());
}

TEST(CsvReader, ALineWithOnlyQuotesIsARecord) {
  // "" is one empty quoted field, not an empty line.
  EXPECT_EQ(read_all("a\n\"\"\nb\n"), (std::vector<Record>{{1, {"a"}}, {2, {""}}, {3, {"b"}}}));
}

TEST(CsvReader, ByteOrderMarkSkippedOnlyAtTheStart) {
  auto records = read_all("\xEF\xBB\xBFid,x\n1,2\n");
  EXPECT_EQ(records, (std::vector<Record>{{1, {"id", "x"}}, {2, {"1", "2"}}}));
  // Elsewhere it is data, kept as written.
  auto later = read_all("a\n\xEF\xBB\xBF" "b\n");
  EXPECT_EQ(later, (std::vector<Record>{{1, {"a"}}, {2, {"\xEF\xBB\xBF" "b"}}}));
  // A BOM followed by a quoted field.
  EXPECT_EQ(read_all("\xEF\xBB\xBF\"id\"\n"), (std::vector<Record>{{1, {"id"}}}));
  // A file that is only a BOM has no records.
  EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, ValidUtf8IsKeptByteForByte) {
  // é (2 bytes), € (3 bytes), 😀 (4 bytes), and U+10FFFF (the last code point).
  std::string text = "caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80,\xF4\x8F\xBF\xBF\n";
  EXPECT_EQ(read_all(text), (std::vector<Record>{{1, {"caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                                       "\xF4\x8F\xBF\xBF"}}}));
}

// Records longer than one 16-byte chunk take the one-pass scan unless they
// hold quotes, carriage returns or bytes past ASCII; the rest of a file keeps
// the general path. Random files built from known records must read back as
// those records, whichever path each record takes.
TEST(CsvReader, RandomFilesReadBackAsTheRecordsTheyWereBuiltFrom) {
  std::mt19937_64 rng(20261127);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::vector<std::string> plain = {"a", "b", "7", " ", "id-", "x"};
  const std::vector<std::string> special = {"\xC3\xA9", ",", "\"", "\n", "\r"};
  auto piece = [&]() -> const std::string& {
    return pick(30) == 0 ? special[pick(special.size())] : plain[pick(plain.size())];
  };
  std::size_t quoted_records = 0, plain_long_records = 0;
  for (int file = 0; file < 300; ++file) {
    std::string text;
    std::vector<Record> expected;
    std::size_t line = 1;
    const std::size_t records = 1 + pick(12);
    for (std::size_t r = 0; r < records; ++r) {
      while (pick(6) == 0) {  // empty lines, skipped but counted
        text += pick(2) ? "\n" : "\r\n";
        ++line;
      }
      Record record{line, {}};
      const std::size_t fields = 1 + pick(6);
      std::string serialized;
      bool quoted = false;
      for (std::size_t f = 0; f < fields; ++f) {
        std::string value;
        for (std::size_t k = pick(5) == 0 ? pick(40) : pick(6); k > 0; --k) value += piece();
        // A field must be quoted when it holds a separator, a quote, a line
        // end or when it is a record's only field and empty (else the line is empty).
        const bool needs = value.find_first_of(",\"\n\r") != std::string::npos || (fields == 1 && value.empty());
        if (needs || pick(10) == 0) {
          quoted = true;
          serialized += '"';
          for (char c : value) {
            serialized += c;
            if (c == '"') serialized += '"';
            if (c == '\n') ++line;
          }
          serialized += '"';
        } else {
          serialized += value;
        }
        if (f + 1 < fields) serialized += ',';
        record.fields.push_back(value);
      }
      quoted_records += quoted;
      plain_long_records += serialized.find_first_of("\"\r\xC3") == std::string::npos && serialized.size() > 16;
      text += serialized;
      if (r + 1 < records || pick(4) != 0) {
        text += pick(3) ? "\n" : "\r\n";
        ++line;
      }
      expected.push_back(std::move(record));
    }
    ASSERT_EQ(read_all(text), expected) << "file " << file << ": " << text;
  }
  // Both paths were taken many times.
  EXPECT_GT(quoted_records, 300u);
  EXPECT_GT(plain_long_records, 300u);
}

TEST(CsvReader, RecordsUpToTheSizeLimitAreReadOnBothPaths) {
  InputLimits limits;
  limits.max_line_bytes = 40;
  const InputLimits saved = input_limits();
  set_input_limits(limits);
  // 39 bytes and the line feed: at the limit, read by the one-pass scan and after a quoted record.
  const std::string at_limit = std::string(20, 'a') + "," + std::string(18, 'b') + "\n";
  EXPECT_EQ(read_all(at_limit + at_limit).size(), 2u);
  EXPECT_EQ(read_all("\"q\"\n" + at_limit).size(), 2u);
  // One byte more is refused, naming the record's line.
  const std::string over = std::string(21, 'a') + "," + std::string(18, 'b') + "\n";
  EXPECT_TRUE(FailsAt(at_limit + over, 2));
  EXPECT_TRUE(FailsAt(at_limit + std::string(100, 'c') + "\n", 2));
  set_input_limits(saved);
}

// -------------------------------------------------------------------- errors

TEST(CsvReaderErrors, QuoteInsideAnUnquotedField) {
  EXPECT_TRUE(FailsAt("id\nab\"c\n", 2));
  EXPECT_TRUE(FailsAt("id,x\nok,1\nv,a\"\n", 3));
}

TEST(CsvReaderErrors, CharactersAfterTheClosingQuote) {
  EXPECT_TRUE(FailsAt("id\n\"ab\"c\n", 2));
  EXPECT_TRUE(FailsAt("id\n\"ab\" \n", 2));
  EXPECT_TRUE(FailsAt("id\n\"ab\"\"\n", 2));  // the last quote opens nothing: unclosed
}

TEST(CsvReaderErrors, CharactersAfterAMultiLineQuotedFieldNameTheRecordStart) {
  // SPEC 8: a line number is the physical line on which the record starts.
  // The record starts on line 2; its closing quote is on line 3.
  EXPECT_TRUE(FailsAt("id\n\"a\nb\"c\n", 2));
}

TEST(CsvReaderErrors, UnclosedQuote) {
  EXPECT_TRUE(FailsAt("id\n\"abc\n", 2));
  // The record starts on line 3 and runs to the end of the file.
  EXPECT_TRUE(FailsAt("id\nok\n\"abc\nmore\nlines", 3));
  EXPECT_TRUE(FailsAt("id\nok,\"", 2));
}

TEST(CsvReaderErrors, LoneCarriageReturn) {
  EXPECT_TRUE(FailsAt("id\r1\n", 1));
  EXPECT_TRUE(FailsAt("id\na\rb\n", 2));
  EXPECT_TRUE(FailsAt("id\na\r", 2));         // at the very end
  EXPECT_TRUE(FailsAt("id\n\r", 2));          // on an otherwise empty line
  EXPECT_TRUE(FailsAt("id\n\"a\"\rb\n", 2));  // after a quoted field
  EXPECT_TRUE(FailsAt("id\na\r\r\n", 2));     // CR CR LF
}

TEST(CsvReaderErrors, LoneCarriageReturnAfterAMultiLineFieldNamesTheRecordStart) {
  // The record starts on line 2; the stray CR is on line 3.
  EXPECT_TRUE(FailsAt("id,x\n\"a\nb\",c\rd\n", 2));
}

TEST(CsvReaderErrors, InvalidUtf8NamesTheLine) {
  EXPECT_TRUE(FailsAt("id\nok\n\xFF\n", 3));
  EXPECT_TRUE(FailsAt("id\n\xC0\xAF\n", 2));              // overlong "/"
  EXPECT_TRUE(FailsAt("id\n\xE0\x80\xAF\n", 2));          // overlong, 3 bytes
  EXPECT_TRUE(FailsAt("id\n\xED\xA0\x80\n", 2));          // a UTF-16 surrogate
  EXPECT_TRUE(FailsAt("id\n\xE2\x82\n", 2));              // truncated sequence
  EXPECT_TRUE(FailsAt("id\nx\xE2\x82", 2));               // truncated at end of file
  EXPECT_TRUE(FailsAt("id\n\xF4\x90\x80\x80\n", 2));      // above U+10FFFF
  EXPECT_TRUE(FailsAt("id\n\x80\n", 2));                  // a lone continuation byte
  EXPECT_TRUE(FailsAt("\xEF\xBB\xBFid\n\"a\xFE\"\n", 2));  // inside quotes, after a BOM
  EXPECT_TRUE(FailsAt("i\xC3\n", 1));                     // in the header
}

TEST(CsvReaderErrors, InvalidUtf8InsideAMultiLineFieldNamesTheRecordStart) {
  // The record starts on line 2; the bad byte is on line 3.
  EXPECT_TRUE(FailsAt("id\n\"a\n\xFF\"\n", 2));
}

TEST(CsvReaderErrors, FindInvalidUtf8ReportsTheOffset) {
  EXPECT_EQ(find_invalid_utf8("abc"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8(""), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);
  EXPECT_EQ(find_invalid_utf8("\xC3\xA9x\xC3"), 3u);
  EXPECT_EQ(find_invalid_utf8("\xE2\x82\xAC\xE2\x28\xA1"), 3u);
}

TEST(CsvReaderErrors, FailFormatsLabelLineAndColumn) {
  CsvReader reader("a\n", "my file.csv");
  auto e = error_of([&] { reader.fail(7, "amount", "bad"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::input);
  EXPECT_EQ(std::string(e->what()), "my file.csv, line 7, column amount: bad");
  auto l = error_of([&] { reader.fail_line(3, "worse"); });
  ASSERT_TRUE(l);
  EXPECT_EQ(l->kind(), ErrorKind::input);
  EXPECT_EQ(std::string(l->what()), "my file.csv, line 3: worse");
}

// -------------------------------------------------------------------- header

TEST(CsvHeader, FindsKnownColumnsByExactName) {
  CsvReader reader("x,amount,id,Amount,ID\n", "h.csv");
  ASSERT_TRUE(reader.next());
  CsvHeader header(reader, {"id", "amount", "channel"});
  EXPECT_EQ(header.column("id"), 2);
  EXPECT_EQ(header.column("amount"), 1);
  EXPECT_EQ(header.column("channel"), -1);  // known, absent
  EXPECT_EQ(header.column("x"), -1);        // present, unknown
  EXPECT_EQ(header.column("Amount"), -1);
  EXPECT_EQ(header.width(), 5u);
}

TEST(CsvHeader, ContractColumnNamedTwiceIsRefused) {
  CsvReader reader("\n\nid,amount,id\n", "h.csv");
  ASSERT_TRUE(reader.next());
  auto e = error_of([&] { CsvHeader header(reader, {"id", "amount"}); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::input);
  std::string msg = e->what();
  EXPECT_EQ(msg.rfind("h.csv, line 3, column id", 0), 0u) << msg;
}

TEST(CsvHeader, UnknownColumnsMayRepeat) {
  CsvReader reader("note,id,note,note\n", "h.csv");
  ASSERT_TRUE(reader.next());
  CsvHeader header(reader, {"id"});
  EXPECT_EQ(header.column("id"), 1);
  EXPECT_EQ(header.width(), 4u);
}

TEST(CsvHeader, RequireNamesTheMissingColumn) {
  CsvReader reader("id,time\n", "h.csv");
  ASSERT_TRUE(reader.next());
  CsvHeader header(reader, {"id", "time", "amount"});
  header.require(reader, "id");  // present: no throw
  auto e = error_of([&] { header.require(reader, "amount"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), ErrorKind::input);
  std::string msg = e->what();
  EXPECT_EQ(msg.rfind("h.csv, line 1, column amount", 0), 0u) << msg;
}

TEST(CsvHeader, FieldCountMustMatchTheHeader) {
  CsvReader reader("a,b,c\n1,2,3\n1,2\n1,2,3,4\n", "h.csv");
  ASSERT_TRUE(reader.next());
  ASSERT_TRUE(reader.next());
  check_field_count(reader, 3);  // line 2 has 3 fields
  ASSERT_TRUE(reader.next());
  auto fewer = error_of([&] { check_field_count(reader, 3); });
  ASSERT_TRUE(fewer);
  EXPECT_EQ(fewer->kind(), ErrorKind::input);
  EXPECT_EQ(std::string(fewer->what()).rfind("h.csv, line 3", 0), 0u) << fewer->what();
  ASSERT_TRUE(reader.next());
  auto more = error_of([&] { check_field_count(reader, 3); });
  ASSERT_TRUE(more);
  EXPECT_EQ(std::string(more->what()).rfind("h.csv, line 4", 0), 0u) << more->what();
}

}  // namespace
}  // namespace matchfund
