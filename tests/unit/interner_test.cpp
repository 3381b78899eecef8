// Dense indices for strings, with and without the prefixes kept in the hash
// table's slots that confirm a repeat in one load (Interner::Keys).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/hash.hpp"
#include "engine/interner.hpp"

namespace matchfund {
namespace {

// Strings that differ from each other in as few ways as possible: every
// length from 0 to 40 of one repeated byte (which only the length tells
// apart), and for each length every string with one byte changed.
std::vector<std::string> near_twins() {
  std::vector<std::string> out;
  for (std::size_t n = 0; n <= 40; ++n) {
    out.push_back(std::string(n, 'a'));
    for (std::size_t at = 0; at < n; ++at) {
      std::string s(n, 'a');
      s[at] = 'b';
      out.push_back(s);
    }
  }
  return out;
}

class InternerKeys : public ::testing::TestWithParam<Interner::Keys> {};

TEST_P(InternerKeys, NearTwinsGetDistinctIndicesAndKeepThem) {
  Interner interner(GetParam());
  const std::vector<std::string> strings = near_twins();
  for (std::uint32_t k = 0; k < strings.size(); ++k) {
    const auto [index, added] = interner.intern(strings[k]);
    ASSERT_TRUE(added) << "\"" << strings[k] << "\" was taken for an earlier string";
    ASSERT_EQ(index, k);
  }
  for (std::uint32_t k = 0; k < strings.size(); ++k) {
    EXPECT_EQ(interner.intern(strings[k]), std::make_pair(k, false)) << strings[k];
    EXPECT_EQ(interner.find(strings[k]), k);
    EXPECT_EQ(interner.name(k), strings[k]);
  }
  EXPECT_FALSE(interner.find(std::string(41, 'a')).has_value());
}

// One hash for every string: each lookup meets every string before it with
// the same tag, so only the keys and bytes tell them apart.
TEST_P(InternerKeys, StringsSharingOneHashAreToldApartByTheirBytes) {
  Interner interner(GetParam());
  const std::vector<std::string> strings = near_twins();
  constexpr std::uint64_t kSameHash = 0x5eed;
  for (std::uint32_t k = 0; k < strings.size(); ++k)
    ASSERT_EQ(interner.intern(strings[k], kSameHash), std::make_pair(k, true)) << strings[k];
  for (std::uint32_t k = 0; k < strings.size(); ++k)
    EXPECT_EQ(interner.intern(strings[k], kSameHash), std::make_pair(k, false)) << strings[k];
}

// A slot keeps a string's first 8 bytes with zeros after its end, and its
// length up to 255: strings that differ only in trailing zero bytes, or only
// in a length past 255, must still be told apart, with every string under
// one hash so that nothing else does.
TEST_P(InternerKeys, ZeroBytesAndLongLengthsAreToldApart) {
  std::vector<std::string> strings;
  for (std::size_t n = 0; n <= 10; ++n)
    for (std::uint32_t bits = 0; bits < (1u << n); ++bits) {
      std::string s(n, '\0');
      for (std::size_t at = 0; at < n; ++at)
        if (bits >> at & 1) s[at] = 'a';
      strings.push_back(s);
    }
  for (std::size_t n : {254, 255, 256, 300}) strings.push_back(std::string(n, 'a'));
  Interner interner(GetParam());
  constexpr std::uint64_t kSameHash = 0xfeed;
  for (std::uint32_t k = 0; k < strings.size(); ++k)
    ASSERT_EQ(interner.intern(strings[k], kSameHash), std::make_pair(k, true)) << "string " << k;
  for (std::uint32_t k = 0; k < strings.size(); ++k)
    ASSERT_EQ(interner.intern(strings[k], kSameHash), std::make_pair(k, false)) << "string " << k;
}

// Prefixes are read from the string's own bytes only: a view into the middle of a
// larger buffer gives the same index as a copy of it.
TEST_P(InternerKeys, AViewAndACopyOfTheSameBytesAreOneString) {
  Interner interner(GetParam());
  const std::string buffer = "xxabcdefghijklmnopqrstuvwxyzxx";
  for (std::size_t n = 0; n <= 26; ++n) {
    const std::string_view view = std::string_view(buffer).substr(2, n);
    const std::string copy(view);
    EXPECT_EQ(interner.intern(view).first, interner.intern(copy).first) << copy;
  }
  EXPECT_EQ(interner.size(), 27u);
}

INSTANTIATE_TEST_SUITE_P(Interner, InternerKeys, ::testing::Values(Interner::Keys::none, Interner::Keys::kept),
                         [](const auto& info) { return info.param == Interner::Keys::kept ? "kept" : "none"; });

}  // namespace
}  // namespace matchfund
