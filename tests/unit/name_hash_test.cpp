// The hash Interner tables key names by: a function of the name's bytes only,
// and one-to-one for names of up to 8 bytes of one length.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>

#include "engine/name_hash.hpp"

namespace matchfund {
namespace {

// The same bytes give the same hash wherever they sit and whatever lies
// around them. A hash that read a byte before or after the name would change
// with the filler here; in the sanitizer build the exact-size heap copy also
// makes such a read an error.
TEST(NameHash, DependsOnTheNameBytesOnly) {
  const std::string alphabet = "u0123456789-abcdefghijklmnopqrstuvwxyz_ABCDEFG";
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string name = alphabet.substr(0, n);
    const std::uint64_t expected = name_hash(name);
    auto exact = std::make_unique<char[]>(n + 1);
    std::memcpy(exact.get(), name.data(), n);
    EXPECT_EQ(name_hash(std::string_view(exact.get(), n)), expected) << "length " << n;
    for (std::size_t at = 0; at < 8; ++at)
      for (char filler : {'\0', 'x', '\xff'}) {
        std::string buffer(at, filler);
        buffer += name;
        buffer += std::string(8, filler);
        EXPECT_EQ(name_hash(std::string_view(buffer).substr(at, n)), expected)
            << "length " << n << " at " << at << " with filler " << int(filler);
      }
  }
}

TEST(NameHash, EveryOneAndTwoByteNameHasItsOwnHash) {
  std::unordered_set<std::uint64_t> seen;
  for (int a = 0; a < 256; ++a) ASSERT_TRUE(seen.insert(name_hash(std::string(1, char(a)))).second) << a;
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      const char s[2] = {char(a), char(b)};
      ASSERT_TRUE(seen.insert(name_hash(std::string_view(s, 2))).second) << a << " " << b;
    }
}

// Names of one length up to 8 bytes never share a hash; names that differ
// only in trailing zero bytes differ in length, and the length is hashed.
TEST(NameHash, ShortNamesOfOneLengthNeverCollide) {
  std::mt19937_64 random(2017);
  for (std::size_t n = 3; n <= 8; ++n) {
    std::unordered_set<std::string> names;
    std::unordered_set<std::uint64_t> hashes;
    const std::size_t count = std::min<std::size_t>(50000, std::size_t{1} << (4 * n));
    while (names.size() < count) {
      std::string s(n, '\0');
      for (char& c : s) c = static_cast<char>(random() & 0x0F);  // few values: many near twins
      if (names.insert(s).second) {
        ASSERT_TRUE(hashes.insert(name_hash(s)).second) << "length " << n;
      }
    }
  }
  std::unordered_set<std::uint64_t> zeros;
  for (std::size_t n = 0; n <= 16; ++n) EXPECT_TRUE(zeros.insert(name_hash(std::string(n, '\0'))).second) << n;
}

}  // namespace
}  // namespace matchfund
