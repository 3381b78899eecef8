// AtomicOutput on outputs far larger than the page cache it keeps behind the
// writing point (engine/file_io.hpp): every byte arrives, in order.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "engine/file_io.hpp"

namespace matchfund {
namespace {

// Bytes that differ from block to block, so that a block written twice, out
// of place or not at all changes the file.
std::string pattern(std::size_t size, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text(size, '\0');
  for (char& c : text) c = static_cast<char>('a' + rng() % 26);
  return text;
}

TEST(AtomicOutputTest, AnOutputOfManyCachedTailsIsPublishedWholeAndInOrder) {
  const std::string path = ::testing::TempDir() + "/matchfund-atomic-output-large.txt";
  std::remove(path.c_str());
  // 70 MB in pieces of odd sizes, through both ways of writing: past the
  // dropped stretch several times, ending mid-page.
  const std::string expected = pattern((std::size_t{70} << 20) + 4093, 7);
  std::mt19937 rng(11);
  {
    AtomicOutput out(path);
    for (std::size_t at = 0; at < expected.size();) {
      const std::size_t piece = std::min<std::size_t>(1 + rng() % 300'000, expected.size() - at);
      if (rng() % 2 == 0) {
        out.write(std::string_view(expected).substr(at, piece));
      } else {
        out.buffer().append(expected, at, piece);
        out.maybe_flush();
      }
      at += piece;
    }
    out.finish();
    out.publish();
  }
  const std::string written = read_file(path);
  std::remove(path.c_str());
  ASSERT_EQ(written.size(), expected.size());
  EXPECT_TRUE(written == expected) << "the published bytes differ from the ones written";
}

TEST(AtomicOutputTest, ARestartedOutputHoldsOnlyWhatWasWrittenAfter) {
  const std::string path = ::testing::TempDir() + "/matchfund-atomic-output-restart.txt";
  std::remove(path.c_str());
  // Enough before the restart that blocks went to the writing thread and
  // part of the file left the page cache; less after, so a stale tail would show.
  const std::string before = pattern((std::size_t{40} << 20) + 17, 3);
  const std::string after = pattern((std::size_t{3} << 20) + 5, 4);
  {
    AtomicOutput out(path);
    out.write(before);
    out.restart();
    out.write(after);
    out.finish();
    out.publish();
  }
  const std::string written = read_file(path);
  std::remove(path.c_str());
  ASSERT_EQ(written.size(), after.size());
  EXPECT_TRUE(written == after) << "the published bytes are not the ones written after the restart";
}

}  // namespace
}  // namespace matchfund
