#include "engine/durable/bytes.hpp"

#include <boost/crc.hpp>

namespace matchfund::durable {

std::uint32_t crc32c(std::string_view bytes) {
  // CRC-32C (Castagnoli): reflected, initial and final xor all ones.
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

}  // namespace matchfund::durable
