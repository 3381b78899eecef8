// A big input file as one read-only view without a copy in memory: a regular
// file is mapped (its pages are the kernel's page cache, read on first
// touch); standard input, pipes and other special files are read whole, as
// read_csv_file does. A parser that is done with a prefix of the text calls
// release_before, which drops those pages from this process (touching them
// again would just read them back), so a multi-gigabyte stream never needs
// its own size in resident memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace matchfund {

class MappedInput {
 public:
  // Throws an io Error naming `path` (missing, unreadable, a directory).
  explicit MappedInput(const std::string& path);
  ~MappedInput();
  MappedInput(const MappedInput&) = delete;
  MappedInput& operator=(const MappedInput&) = delete;

  std::string_view text() const { return text_; }
  // The parser no longer needs text()[0, offset): let its pages go.
  void release_before(std::size_t offset);

 private:
  std::string_view text_;
  void* map_ = nullptr;  // null when the text was read into `copy_`
  std::size_t map_bytes_ = 0;
  std::size_t released_ = 0;  // bytes from the start already given back
  std::string copy_;
};

}  // namespace matchfund
