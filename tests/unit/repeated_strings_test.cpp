// A donation stream's ids: stored in a StringColumn, repeats found after the
// whole file is read (find_repeats), and the repeated rows removed (erase).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/hash.hpp"
#include "engine/repeated_strings.hpp"
#include "engine/string_column.hpp"

namespace matchfund {
namespace {

StringColumn column_of(const std::vector<std::string>& strings) {
  StringColumn column;
  for (const std::string& s : strings) column.append(s, fnv1a64(s));
  return column;
}

std::vector<std::string> contents(const StringColumn& column) {
  std::vector<std::string> out;
  for (std::uint32_t k = 0; k < column.size(); ++k) {
    EXPECT_EQ(column.hash(k), fnv1a64(column.name(k))) << "string " << k << " lost its hash";
    out.emplace_back(column.name(k));
  }
  return out;
}

// The repeats as a set of seen strings finds them, one string at a time.
std::vector<std::uint32_t> reference_repeats(const std::vector<std::string>& strings) {
  std::unordered_set<std::string> seen;
  std::vector<std::uint32_t> out;
  for (std::uint32_t k = 0; k < strings.size(); ++k)
    if (!seen.insert(strings[k]).second) out.push_back(k);
  return out;
}

TEST(StringColumn, EraseKeepsTheOthersInOrderWithTheirHashes) {
  const std::vector<std::string> strings = {"", "a", "bb", "", "ccc", "dddd", "e", "ffffff"};
  for (const std::vector<std::uint32_t>& removed :
       std::vector<std::vector<std::uint32_t>>{{}, {0}, {7}, {0, 1}, {2, 3, 4}, {1, 3, 5, 7}, {0, 1, 2, 3, 4, 5, 6, 7}}) {
    StringColumn column = column_of(strings);
    column.erase(removed);
    std::vector<std::string> expected;
    for (std::uint32_t k = 0; k < strings.size(); ++k)
      if (std::find(removed.begin(), removed.end(), k) == removed.end()) expected.push_back(strings[k]);
    EXPECT_EQ(contents(column), expected) << "removing " << ::testing::PrintToString(removed);
    column.append("new", fnv1a64("new"));  // the column stays usable
    EXPECT_EQ(column.name(column.size() - 1), "new");
  }
}

TEST(FindRepeats, EmptyAndDistinctColumnsHaveNone) {
  EXPECT_TRUE(find_repeats(StringColumn()).empty());
  EXPECT_TRUE(find_repeats(column_of({"", "a", "A", "a ", "aa"})).empty());
}

TEST(FindRepeats, TheFirstOfEqualStringsIsKeptAndEveryLaterOneIsARepeat) {
  const std::vector<std::string> strings = {"a", "b", "a", "", "b", "", "a", "c"};
  EXPECT_EQ(find_repeats(column_of(strings)), (std::vector<std::uint32_t>{2, 4, 5, 6}));
}

TEST(FindRepeats, EqualHashesWithDifferentBytesAreNotRepeats) {
  // The column takes the hash it is given: one hash for all, so only the bytes can tell.
  StringColumn column;
  for (const char* s : {"x", "y", "x", "xy", "y", "", ""}) column.append(s, 42);
  EXPECT_EQ(find_repeats(column), (std::vector<std::uint32_t>{2, 4, 6}));
}

TEST(FindRepeats, AgreesWithASetOverManyPartitions) {
  // Up to 256 partitions of about 2,300 strings, drawn from a pool
  // small enough that most repeat, in a seeded random order.
  std::mt19937_64 rng(99);
  for (const std::size_t n : {std::size_t{1}, std::size_t{5'000}, std::size_t{600'000}}) {
    std::vector<std::string> strings;
    strings.reserve(n);
    for (std::size_t k = 0; k < n; ++k) strings.push_back("id-" + std::to_string(rng() % (n / 2 + 1)));
    const std::vector<std::uint32_t> expected = reference_repeats(strings);
    ASSERT_EQ(find_repeats(column_of(strings)), expected) << n << " strings";
  }
}

}  // namespace
}  // namespace matchfund
