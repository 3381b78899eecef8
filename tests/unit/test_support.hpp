// Helpers shared by the unit tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "engine/error.hpp"

namespace matchfund::test_support {

// Runs f and returns the matchfund::Error it throws, or nullopt.
template <class F>
std::optional<Error> error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// The whole file, as bytes.
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fixture for tests that run the binary: a fresh directory per test, removed
// after it. work/ holds inputs and outputs, tmp/ is the child's TMPDIR (where a
// '-' output is staged), io/ holds the child's standard streams.
class ScratchDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/matchfund-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    for (const char* dir : {"work", "tmp", "io"}) std::filesystem::create_directory(root_ / dir);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  std::string path(const std::string& name) const { return (root_ / "work" / name).string(); }
  void write(const std::string& name, const std::string& content) const {
    std::ofstream out(root_ / "work" / name, std::ios::binary);
    out << content;
  }
  // Names of the entries in work/.
  std::set<std::string> work_listing() const {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(root_ / "work")) names.insert(e.path().filename().string());
    return names;
  }
  bool tmp_empty() const { return std::filesystem::is_empty(root_ / "tmp"); }

  std::filesystem::path root_;
};

}  // namespace matchfund::test_support
