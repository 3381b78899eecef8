// Donations and projects files to interned data (SPEC 2 and 8).
#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "engine/catalog.hpp"
#include "engine/error.hpp"
#include "engine/hash.hpp"
#include "engine/ingest.hpp"
#include "unit/test_support.hpp"

namespace matchfund {
namespace {

using matchfund::test_support::error_of;

// The run fails with an input error whose message starts with
// "<label>, line <line>" and, when given, names "column <column>".
::testing::AssertionResult InputErrorAt(const std::optional<Error>& e, const std::string& label, std::size_t line,
                                        const std::string& column = "") {
  if (!e) return ::testing::AssertionFailure() << "no error was thrown";
  std::string msg = e->what();
  if (e->kind() != ErrorKind::input)
    return ::testing::AssertionFailure() << "kind " << static_cast<int>(e->kind()) << ": " << msg;
  std::string want = label + ", line " + std::to_string(line);
  if (msg.rfind(want, 0) != 0 || (msg.size() > want.size() && std::isdigit(static_cast<unsigned char>(msg[want.size()]))))
    return ::testing::AssertionFailure() << "message \"" << msg << "\" does not start with \"" << want << "\"";
  if (!column.empty() && msg.find(", column " + column + ":") == std::string::npos)
    return ::testing::AssertionFailure() << "message \"" << msg << "\" does not name column " << column;
  return ::testing::AssertionSuccess();
}

std::optional<Error> donations_error(std::string_view text, int minor_units = 2) {
  return error_of([&] {
    Catalog catalog;
    read_donations(text, "gifts.csv", minor_units, catalog);
  });
}

std::optional<Error> projects_error(std::string_view text) {
  return error_of([&] {
    Catalog catalog;
    read_projects(text, "projects.csv", catalog);
  });
}

constexpr const char* kHeader = "id,time,donor,project,amount\n";

// ----------------------------------------------------------------- donations

TEST(ReadDonations, ReadsEveryField) {
  Catalog catalog;
  DonationStream s = read_donations(
      "id,time,donor,project,amount,channel\n"
      "d1,2017-09-07T09:00:00+08:00,alice,p1,10.5,coins\n"
      "d2,2017-09-07T01:00:00.25Z,bob,p2,0.01,steps\n",
      "gifts.csv", 2, catalog);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.id(0), "d1");
  EXPECT_EQ(s.id(1), "d2");
  // Both times are 01:00Z on 2017-09-07 (Unix 1504746000); d2 a quarter second later.
  EXPECT_EQ(s.time[0], 1'504'746'000LL * 1'000'000);
  EXPECT_EQ(s.time[1], 1'504'746'000LL * 1'000'000 + 250'000);
  EXPECT_EQ(s.time_style[0].offset_minutes, 480);
  EXPECT_EQ(s.time_style[1].fraction_digits, 2);
  EXPECT_EQ(catalog.donors.name(s.donor[0]), "alice");
  EXPECT_EQ(catalog.donors.name(s.donor[1]), "bob");
  EXPECT_EQ(catalog.projects.name(s.project[0]), "p1");
  EXPECT_EQ(catalog.projects.name(s.project[1]), "p2");
  EXPECT_EQ(catalog.channels.name(s.channel[0]), "coins");
  EXPECT_EQ(catalog.channels.name(s.channel[1]), "steps");
  EXPECT_EQ(s.amount[0], 1050);  // 10.5 at minor_units 2
  EXPECT_EQ(s.amount[1], 1);
  EXPECT_EQ(s.line[0], 2u);
  EXPECT_EQ(s.line[1], 3u);
  EXPECT_EQ(s.donated, 1051);
  EXPECT_EQ(s.duplicates, 0u);
  EXPECT_EQ(s.label, "gifts.csv");
  // The id hash kept from ingest is fnv1a64 of the id's bytes.
  EXPECT_EQ(s.ids.hash(0), fnv1a64("d1"));
  EXPECT_EQ(s.ids.hash(1), fnv1a64("d2"));
}

TEST(ReadDonations, ColumnsReorderedAndUnknownColumnsIgnored) {
  Catalog catalog;
  DonationStream s = read_donations(
      "note,amount,project,note,donor,time,id\n"
      "hello,3,p9,again,carol,2017-09-07T09:00:00Z,x1\n",
      "gifts.csv", 0, catalog);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.id(0), "x1");
  EXPECT_EQ(s.amount[0], 3);  // minor_units 0
  EXPECT_EQ(catalog.donors.name(s.donor[0]), "carol");
  EXPECT_EQ(catalog.projects.name(s.project[0]), "p9");
  EXPECT_EQ(catalog.channels.name(s.channel[0]), "cash");
}

TEST(ReadDonations, ChannelEmptyOrAbsentIsCash) {
  Catalog with;
  DonationStream a = read_donations(
      "id,time,donor,project,amount,channel\n"
      "d1,2017-09-07T09:00:00Z,u,p,1,\n"
      "d2,2017-09-07T09:00:00Z,u,p,1,Cash\n"
      "d3,2017-09-07T09:00:00Z,u,p,1,cash\n",
      "gifts.csv", 2, with);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(with.channels.name(a.channel[0]), "cash");
  EXPECT_EQ(with.channels.name(a.channel[1]), "Cash");  // literal, case-sensitive
  EXPECT_EQ(a.channel[0], a.channel[2]);                 // empty and "cash" are one channel
  EXPECT_NE(a.channel[0], a.channel[1]);

  Catalog without;
  DonationStream b = read_donations(std::string(kHeader) + "d1,2017-09-07T09:00:00Z,u,p,1\n", "gifts.csv", 2, without);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(without.channels.name(b.channel[0]), "cash");
}

TEST(ReadDonations, DuplicatesCountedNotStoredNotDonated) {
  Catalog catalog;
  DonationStream s = read_donations(std::string(kHeader) +
                                        "a,2017-09-07T09:00:00Z,u1,p1,10\n"
                                        "b,2017-09-07T09:00:00Z,u1,p1,20\n"
                                        "a,2017-09-07T10:00:00Z,u2,p2,40\n"  // duplicate of a
                                        "A,2017-09-07T09:00:00Z,u1,p1,1\n"   // ids are byte strings
                                        "a ,2017-09-07T09:00:00Z,u1,p1,2\n"  // no trimming
                                        "b,2017-09-07T09:00:00Z,u1,p1,20\n",  // duplicate of b
                                    "gifts.csv", 2, catalog);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.id(0), "a");
  EXPECT_EQ(s.id(1), "b");
  EXPECT_EQ(s.id(2), "A");
  EXPECT_EQ(s.id(3), "a ");
  EXPECT_EQ(s.duplicates, 2u);
  // 10 + 20 + 1 + 2 major units = 3300 minor units; the duplicates' 40 and 20 are not added.
  EXPECT_EQ(s.donated, 3300);
  // The stored row of "a" is the first one (amount 10), not the duplicate's.
  EXPECT_EQ(s.amount[0], 1000);
  EXPECT_EQ(s.line[2], 5u);
}

TEST(ReadDonations, DuplicateRowsAreStillValidated) {
  auto e = donations_error(std::string(kHeader) +
                           "a,2017-09-07T09:00:00Z,u1,p1,10\n"
                           "a,2017-09-07T09:00:00Z,u1,p1,0\n");
  EXPECT_TRUE(InputErrorAt(e, "gifts.csv", 3, "amount"));
  auto t = donations_error(std::string(kHeader) +
                           "a,2017-09-07T09:00:00Z,u1,p1,10\n"
                           "a,yesterday,u1,p1,10\n");
  EXPECT_TRUE(InputErrorAt(t, "gifts.csv", 3, "time"));
}

TEST(ReadDonations, TotalDonatedFitsInt64ExactlyThenFails) {
  // minor_units 0: 9223372036854775806 + 1 is exactly INT64_MAX: valid.
  Catalog catalog;
  DonationStream s = read_donations(std::string(kHeader) +
                                        "a,2017-09-07T09:00:00Z,u,p,9223372036854775806\n"
                                        "b,2017-09-07T09:00:00Z,u,p,1\n",
                                    "gifts.csv", 0, catalog);
  EXPECT_EQ(s.donated, 9223372036854775807LL);
  // One more minor unit on line 4 does not fit: the error is at that line, column amount.
  auto e = donations_error(std::string(kHeader) +
                               "a,2017-09-07T09:00:00Z,u,p,9223372036854775806\n"
                               "b,2017-09-07T09:00:00Z,u,p,1\n"
                               "c,2017-09-07T09:00:00Z,u,p,1\n",
                           0);
  EXPECT_TRUE(InputErrorAt(e, "gifts.csv", 4, "amount"));
}

TEST(ReadDonations, DuplicateAmountsDoNotCountTowardsTheTotal) {
  // The duplicate of "a" carries INT64_MAX: it is not donated again, so no overflow.
  Catalog catalog;
  DonationStream s = read_donations(std::string(kHeader) +
                                        "a,2017-09-07T09:00:00Z,u,p,5\n"
                                        "a,2017-09-07T09:00:00Z,u,p,9223372036854775807\n",
                                    "gifts.csv", 0, catalog);
  EXPECT_EQ(s.donated, 5);
  EXPECT_EQ(s.duplicates, 1u);
}

TEST(ReadDonations, OnceDuplicatesPushTheTotalPastInt64EachNewIdIsCountedExactly) {
  // minor_units 0. The duplicates' amounts would overflow the total; the
  // donations themselves sum to exactly INT64_MAX (5 + (INT64_MAX - 12) + 7).
  const std::string rows = std::string(kHeader) +
                           "a,2017-09-07T09:00:00Z,u,p,5\n"
                           "a,2017-09-07T09:00:00Z,u,p,9223372036854775807\n"  // duplicate
                           "b,2017-09-07T09:00:00Z,u,p,9223372036854775795\n"
                           "b,2017-09-07T09:00:00Z,u,p,9\n"  // duplicate
                           "c,2017-09-07T09:00:00Z,u,p,7\n"
                           "a,2017-09-07T09:00:00Z,u,p,1\n";  // duplicate
  Catalog catalog;
  DonationStream s = read_donations(rows, "gifts.csv", 0, catalog);
  EXPECT_EQ(s.donated, 9223372036854775807LL);
  EXPECT_EQ(s.duplicates, 3u);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.id(2), "c");
  EXPECT_EQ(s.line[2], 6u);
  // One more minor unit under a new id on line 8 does not fit, and that error
  // wins over a bad time further on.
  auto e = donations_error(rows + "d,2017-09-07T09:00:00Z,u,p,1\n" + "e,not-a-time,u,p,1\n", 0);
  EXPECT_TRUE(InputErrorAt(e, "gifts.csv", 8, "amount"));
}

TEST(ReadDonations, HeaderOnlyIsValidAndEmpty) {
  Catalog catalog;
  DonationStream s = read_donations(kHeader, "gifts.csv", 2, catalog);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.donated, 0);
  EXPECT_EQ(s.duplicates, 0u);
  // Without a final line end, and with empty lines after it.
  EXPECT_EQ(read_donations("id,time,donor,project,amount", "g", 2, catalog).size(), 0u);
  EXPECT_EQ(read_donations(std::string(kHeader) + "\n\n", "g", 2, catalog).size(), 0u);
}

TEST(ReadDonations, NoHeaderIsRefused) {
  EXPECT_TRUE(InputErrorAt(donations_error(""), "gifts.csv", 1));
  EXPECT_TRUE(InputErrorAt(donations_error("\n\n"), "gifts.csv", 1));
  EXPECT_TRUE(InputErrorAt(donations_error("\xEF\xBB\xBF"), "gifts.csv", 1));
  // A data row where the header should be: its "id" column is missing.
  EXPECT_TRUE(InputErrorAt(donations_error("d1,2017-09-07T09:00:00Z,u,p,1\n"), "gifts.csv", 1, "id"));
}

TEST(ReadDonations, MissingRequiredColumnNamed) {
  EXPECT_TRUE(InputErrorAt(donations_error("id,time,donor,project\n"), "gifts.csv", 1, "amount"));
  EXPECT_TRUE(InputErrorAt(donations_error("id,donor,project,amount\n"), "gifts.csv", 1, "time"));
  // Header names are case-sensitive: "ID" is an unknown column.
  EXPECT_TRUE(InputErrorAt(donations_error("ID,time,donor,project,amount\n"), "gifts.csv", 1, "id"));
}

TEST(ReadDonations, HeaderNamingAContractColumnTwiceIsRefused) {
  EXPECT_TRUE(InputErrorAt(donations_error("id,time,donor,project,amount,amount\n"), "gifts.csv", 1, "amount"));
  EXPECT_TRUE(InputErrorAt(donations_error("id,time,donor,project,amount,channel,channel\n"), "gifts.csv", 1,
                           "channel"));
  // Unknown columns may repeat.
  Catalog catalog;
  EXPECT_EQ(read_donations("x,id,time,x,donor,project,amount,x\n"
                           "1,d,2017-09-07T09:00:00Z,2,u,p,1,3\n",
                           "g", 2, catalog)
                .size(),
            1u);
}

TEST(ReadDonations, BadRowsNameLineAndColumn) {
  const std::string h = kHeader;
  const std::string ok = "d0,2017-09-07T09:00:00Z,u,p,1\n";  // line 2
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + ",2017-09-07T09:00:00Z,u,p,1\n"), "gifts.csv", 3, "id"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,,u,p,1\n"), "gifts.csv", 3, "time"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07 09:00:00Z,u,p,1\n"), "gifts.csv", 3, "time"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00,u,p,1\n"), "gifts.csv", 3, "time"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,,p,1\n"), "gifts.csv", 3, "donor"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,,1\n"), "gifts.csv", 3, "project"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p,\n"), "gifts.csv", 3, "amount"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p,0\n"), "gifts.csv", 3, "amount"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p,0.00\n"), "gifts.csv", 3, "amount"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p,-1\n"), "gifts.csv", 3, "amount"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p,5.555\n"), "gifts.csv", 3, "amount"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p,1e3\n"), "gifts.csv", 3, "amount"));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p, 1\n"), "gifts.csv", 3, "amount"));
  // Wrong field counts name the line.
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p\n"), "gifts.csv", 3));
  EXPECT_TRUE(InputErrorAt(donations_error(h + ok + "d1,2017-09-07T09:00:00Z,u,p,1,x\n"), "gifts.csv", 3));
}

TEST(ReadDonations, AmountDigitsFollowMinorUnits) {
  const std::string row = std::string(kHeader) + "d1,2017-09-07T09:00:00Z,u,p,5.5\n";
  EXPECT_TRUE(InputErrorAt(donations_error(row, 0), "gifts.csv", 2, "amount"));
  Catalog catalog;
  DonationStream s = read_donations(row, "g", 3, catalog);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.amount[0], 5500);
}

TEST(ReadDonations, LinesCountEmptyLinesAndMultiLineFields) {
  Catalog catalog;
  DonationStream s = read_donations(std::string(kHeader) +
                                        "\n"
                                        "\"d\n1\",2017-09-07T09:00:00Z,u,p,1\n"  // lines 3-4
                                        "d2,2017-09-07T09:00:00Z,u,p,1\n",      // line 5
                                    "g", 2, catalog);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.id(0), "d\n1");
  EXPECT_EQ(s.line[0], 3u);
  EXPECT_EQ(s.line[1], 5u);
  auto e = donations_error(std::string(kHeader) + "\n\"d\n1\",2017-09-07T09:00:00Z,u,p,1\nd2,bad,u,p,1\n");
  EXPECT_TRUE(InputErrorAt(e, "gifts.csv", 5, "time"));
}

TEST(ReadDonations, CsvFaultsAreInputErrors) {
  EXPECT_TRUE(InputErrorAt(donations_error(std::string(kHeader) + "d1,2017-09-07T09:00:00Z,u,p\"x,1\n"), "gifts.csv", 2));
  EXPECT_TRUE(InputErrorAt(donations_error(std::string(kHeader) + "d1,2017-09-07T09:00:00Z,\xFF,p,1\n"), "gifts.csv", 2));
}

// ------------------------------------------------------------------ projects

TEST(ReadProjects, CategoryAndOrgPerProject) {
  Catalog catalog;
  read_projects(
      "project,category,org\n"
      "p1,edu,o1\n"
      "p2,,o2\n"
      "p3,health,\n",
      "projects.csv", catalog);
  auto cat = [&](std::string_view p) { return catalog.categories.name(catalog.project_category[*catalog.projects.find(p)]); };
  auto org = [&](std::string_view p) { return catalog.orgs.name(catalog.project_org[*catalog.projects.find(p)]); };
  EXPECT_EQ(cat("p1"), "edu");
  EXPECT_EQ(org("p1"), "o1");
  EXPECT_EQ(cat("p2"), "");
  EXPECT_EQ(org("p2"), "o2");
  EXPECT_EQ(cat("p3"), "health");
  EXPECT_EQ(org("p3"), "");
  // A donation's project the file does not list has empty category and org.
  std::uint32_t p4 = catalog.project("p4");
  EXPECT_EQ(catalog.categories.name(catalog.project_category[p4]), "");
  EXPECT_EQ(catalog.orgs.name(catalog.project_org[p4]), "");
}

TEST(ReadProjects, OnlyProjectColumnAndUnknownColumns) {
  Catalog catalog;
  read_projects("notes,project,extra\nx,p1,y\n\"a,b\",\"p 2\",z\n", "projects.csv", catalog);
  ASSERT_TRUE(catalog.projects.find("p1"));
  ASSERT_TRUE(catalog.projects.find("p 2"));
  EXPECT_EQ(catalog.categories.name(catalog.project_category[*catalog.projects.find("p1")]), "");
}

TEST(ReadProjects, HeaderOnlyIsValid) {
  Catalog catalog;
  read_projects("project,category,org\n", "projects.csv", catalog);
  EXPECT_EQ(catalog.projects.size(), 0u);
}

TEST(ReadProjects, ProjectListedTwiceIsRefused) {
  auto e = projects_error("project,category\np1,a\np2,b\np1,a\n");
  EXPECT_TRUE(InputErrorAt(e, "projects.csv", 4, "project"));
  // Ids are byte strings: P1 and p1 are two projects.
  Catalog catalog;
  read_projects("project\np1\nP1\n", "projects.csv", catalog);
  EXPECT_EQ(catalog.projects.size(), 2u);
}

TEST(ReadProjects, ProjectListedTwiceAfterDonationsInternedIt) {
  // A project interned before (by name) is listed once: fine; twice: refused.
  Catalog catalog;
  catalog.project("p1");
  read_projects("project,org\np1,o\n", "projects.csv", catalog);
  EXPECT_EQ(catalog.orgs.name(catalog.project_org[*catalog.projects.find("p1")]), "o");
}

TEST(ReadProjects, BadFiles) {
  EXPECT_TRUE(InputErrorAt(projects_error(""), "projects.csv", 1));
  EXPECT_TRUE(InputErrorAt(projects_error("category,org\nedu,o\n"), "projects.csv", 1, "project"));
  EXPECT_TRUE(InputErrorAt(projects_error("project,category\n,edu\n"), "projects.csv", 2, "project"));
  EXPECT_TRUE(InputErrorAt(projects_error("project,category\np1\n"), "projects.csv", 2));
  EXPECT_TRUE(InputErrorAt(projects_error("project,org,org\n"), "projects.csv", 1, "org"));
  EXPECT_TRUE(InputErrorAt(projects_error("project\np\"1\n"), "projects.csv", 2));
}


// ------------------------------------- rows read on a second thread, in batches

// n valid rows (lines 2 .. n + 1) with distinct ids, a few donors and projects.
std::string valid_rows(std::size_t n, std::size_t first = 0) {
  std::string text;
  for (std::size_t i = first; i < first + n; ++i)
    text += "d" + std::to_string(i) + ",2017-09-07T09:00:00Z,u" + std::to_string(i % 97) + ",p" +
            std::to_string(i % 13) + ",1." + std::to_string(i % 100 / 10) + "\n";
  return text;
}

TEST(ReadDonations, ManyBatchesReadAsOneStreamInFileOrder) {
  // Far more rows than one batch of the reading thread, with duplicates spread across batches.
  std::string text = std::string(kHeader) + valid_rows(10'000) + valid_rows(3, 4'000) + valid_rows(5'000, 10'000);
  Catalog catalog;
  const DonationStream s = read_donations(text, "gifts.csv", 2, catalog);
  ASSERT_EQ(s.size(), 15'000u);
  EXPECT_EQ(s.duplicates, 3u);
  Minor donated = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s.id(i), "d" + std::to_string(i));
    EXPECT_EQ(catalog.donors.name(s.donor[i]), "u" + std::to_string(i % 97));
    EXPECT_EQ(s.line[i], i < 10'000 ? i + 2 : i + 5);
    EXPECT_EQ(s.amount[i], 100 + static_cast<Minor>(i % 100 / 10) * 10);
    donated += s.amount[i];
  }
  EXPECT_EQ(s.donated, donated);
  // Donors are numbered in order of first appearance, as one thread would.
  for (std::uint32_t d = 0; d < 97; ++d) EXPECT_EQ(catalog.donors.name(d), "u" + std::to_string(d));
}

TEST(ReadDonations, EscapedFieldsKeepTheirTextAcrossBatches) {
  // A quoted field holding "" is unescaped into the reader's record buffer,
  // then copied beside its batch. Every row here has four such fields, over
  // several batches: no copy may move or be overwritten before its row is interned.
  std::string text = "id,time,donor,project,amount,channel\n";
  constexpr std::size_t kRows = 5'000;
  auto quoted = [](const std::string& prefix, std::size_t k) { return "\"" + prefix + "\"\"" + std::to_string(k) + "\""; };
  for (std::size_t i = 0; i < kRows; ++i)
    text += quoted("d", i) + ",2017-09-07T09:00:00Z," + quoted("u", i % 97) + "," + quoted("p", i % 13) + ",1," +
            quoted("c", i % 3) + "\n";
  Catalog catalog;
  const DonationStream s = read_donations(text, "gifts.csv", 2, catalog);
  ASSERT_EQ(s.size(), kRows);
  for (std::size_t i = 0; i < kRows; ++i) {
    ASSERT_EQ(s.id(i), "d\"" + std::to_string(i));
    ASSERT_EQ(catalog.donors.name(s.donor[i]), "u\"" + std::to_string(i % 97));
    ASSERT_EQ(catalog.projects.name(s.project[i]), "p\"" + std::to_string(i % 13));
    ASSERT_EQ(catalog.channels.name(s.channel[i]), "c\"" + std::to_string(i % 3));
  }
}

TEST(ReadDonations, TheFirstErrorInFileOrderWinsAcrossBatches) {
  // A bad time far into the file, found by the reading thread...
  const std::string late_bad_time = valid_rows(2'000, 90'000) + "late,not-a-time,u,p,1\n";
  EXPECT_TRUE(InputErrorAt(donations_error(std::string(kHeader) + valid_rows(7'000) + late_bad_time), "gifts.csv", 9'002, "time"));
  // ...loses to an earlier error only the interning finds (the total overflows at line 5,002).
  std::string text = std::string(kHeader) + valid_rows(5'000) + "big,2017-09-07T09:00:00Z,u,p,92233720368547758.07\n" +
                     valid_rows(7'000, 20'000) + late_bad_time;
  EXPECT_TRUE(InputErrorAt(donations_error(text), "gifts.csv", 5'002, "amount"));
  // A bad row in the first batch: nothing after it matters.
  EXPECT_TRUE(InputErrorAt(donations_error(std::string(kHeader) + valid_rows(3) + "x,2017-09-07T09:00:00Z,u,p,-1\n" + late_bad_time),
                           "gifts.csv", 5, "amount"));
}

}  // namespace
}  // namespace matchfund
