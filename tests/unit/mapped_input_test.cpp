// MappedInput: the file's bytes without a copy, pages given back on request,
// the same errors as reading, and a truncated file ending the run by SIGBUS
// with its temporaries removed.
#include "engine/mapped_input.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "engine/signal_cleanup.hpp"
#include "test_support.hpp"

namespace matchfund {
namespace {

using test_support::error_of;

class MappedInputTest : public test_support::ScratchDirTest {};

std::string pattern_text(std::size_t bytes) {
  std::string text;
  for (std::size_t i = 0; text.size() < bytes; ++i) text += "row " + std::to_string(i) + ",x\n";
  return text;
}

TEST_F(MappedInputTest, TheTextIsTheFilesBytesBeforeAndAfterPagesAreReleased) {
  const std::string content = pattern_text(3 << 20);
  write("big.csv", content);
  MappedInput input(path("big.csv"));
  ASSERT_EQ(input.text(), content);
  input.release_before(content.size() / 2);
  input.release_before(content.size() / 4);  // going back releases nothing more and breaks nothing
  // Released pages are read back from the file when touched again.
  EXPECT_EQ(input.text(), content);
}

TEST_F(MappedInputTest, AnEmptyFileIsAnEmptyText) {
  write("empty.csv", "");
  MappedInput input(path("empty.csv"));
  EXPECT_TRUE(input.text().empty());
}

TEST_F(MappedInputTest, MissingFilesAndDirectoriesAreIoErrorsNamingThem) {
  for (const std::string name : {"missing.csv", "dir"}) {
    if (name == "dir") std::filesystem::create_directory(path(name));
    const auto e = error_of([&] { MappedInput input(path(name)); });
    ASSERT_TRUE(e.has_value()) << name;
    EXPECT_EQ(e->kind(), ErrorKind::io) << name;
    EXPECT_NE(std::string(e->what()).find(path(name)), std::string::npos) << e->what();
  }
}

TEST_F(MappedInputTest, ATruncatedFileEndsTheRunBySigbusAndRemovesItsTemporaries) {
  const std::string content = pattern_text(1 << 20);
  write("donations.csv", content);
  const std::string temporary_pattern = path("ledger.csv.XXXXXX");
  EXPECT_EXIT(
      {
        install_signal_cleanup();
        std::string name = temporary_pattern;
        int slot = -1;
        const int fd = mkstemp_removed_on_signal(name.data(), slot);
        if (fd < 0 || slot < 0) std::_Exit(10);
        MappedInput input(path("donations.csv"));
        if (::truncate(path("donations.csv").c_str(), 0) != 0) std::_Exit(11);
        // A page past the new end of the file: the read faults.
        volatile char c = input.text()[input.text().size() - 1];
        (void)c;
        std::_Exit(12);
      },
      ::testing::KilledBySignal(SIGBUS), "");
  EXPECT_EQ(work_listing(), std::set<std::string>{"donations.csv"});
}

}  // namespace
}  // namespace matchfund
