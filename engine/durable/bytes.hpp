// Little-endian binary encoding for the journal and snapshots, and the
// CRC-32C that guards every record.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace matchfund::durable {

std::uint32_t crc32c(std::string_view bytes);

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { raw(&v, 4); }
  void u64(std::uint64_t v) { raw(&v, 8); }
  void i64(std::int64_t v) { raw(&v, 8); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }

 private:
  // x86-64 and every target we build for are little-endian.
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& out_;
};

// Reads what ByteWriter wrote; any read past the end sets failed() and returns zeros.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  std::uint8_t u8() { return take<std::uint8_t>(); }
  std::uint32_t u32() { return take<std::uint32_t>(); }
  std::uint64_t u64() { return take<std::uint64_t>(); }
  std::int64_t i64() { return take<std::int64_t>(); }
  std::string_view str() {
    const std::uint32_t n = u32();
    if (failed_ || n > in_.size() - at_) {
      failed_ = true;
      return {};
    }
    std::string_view s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  bool failed() const { return failed_; }
  bool at_end() const { return at_ == in_.size(); }

 private:
  template <class T>
  T take() {
    T v{};
    if (failed_ || sizeof(T) > in_.size() - at_) {
      failed_ = true;
      return v;
    }
    std::memcpy(&v, in_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  std::string_view in_;
  std::size_t at_ = 0;
  bool failed_ = false;
};

}  // namespace matchfund::durable
