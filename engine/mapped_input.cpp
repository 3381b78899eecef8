#include "engine/mapped_input.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/error.hpp"
#include "engine/file_io.hpp"

namespace matchfund {

MappedInput::MappedInput(const std::string& path) {
  struct stat st {};
  const int fd = path == "-" ? -1 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    map_bytes_ = static_cast<std::size_t>(st.st_size);
    map_ = ::mmap(nullptr, map_bytes_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map_ == MAP_FAILED) {
      map_ = nullptr;
      throw Error(ErrorKind::io, "cannot read '" + path + "': " + std::strerror(errno));
    }
    // Read ahead in big steps: the parser goes through the file once, front to back.
    ::madvise(map_, map_bytes_, MADV_SEQUENTIAL);
    text_ = {static_cast<const char*>(map_), map_bytes_};
    return;
  }
  if (fd >= 0) ::close(fd);
  copy_ = read_csv_file(path);  // and its errors: missing, a directory, unreadable
  text_ = copy_;
}

MappedInput::~MappedInput() {
  if (map_) ::munmap(map_, map_bytes_);
}

void MappedInput::release_before(std::size_t offset) {
  if (!map_) return;
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t end = offset / page * page;
  if (end <= released_) return;
  ::madvise(static_cast<char*>(map_) + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

}  // namespace matchfund
