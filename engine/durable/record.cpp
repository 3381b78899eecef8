#include "engine/durable/record.hpp"

#include <cstring>

#include "engine/durable/bytes.hpp"

namespace matchfund::durable {

void append_record(std::string& out, const Record& r) {
  const std::size_t frame = out.size();
  out.append(kFrameBytes, '\0');
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(r.op));
  w.i64(r.time);
  switch (r.op) {
    case RecordOp::reserve:
      w.i64(r.amount);
      w.str(r.id);
      w.str(r.donor);
      w.str(r.project);
      w.str(r.channel);
      break;
    case RecordOp::top_up:
      w.i64(r.amount);
      w.str(r.id);
      break;
    case RecordOp::freeze:
      w.u8(r.claw_back ? 1 : 0);
      w.str(r.id);
      break;
    case RecordOp::advance:
      break;
    default:
      w.str(r.id);
      break;
  }
  const std::string_view payload(out.data() + frame + kFrameBytes, out.size() - frame - kFrameBytes);
  const std::uint32_t length = static_cast<std::uint32_t>(payload.size());
  const std::uint32_t crc = crc32c(payload);
  std::memcpy(out.data() + frame, &length, 4);
  std::memcpy(out.data() + frame + 4, &crc, 4);
}

Framed read_record(std::string_view bytes) {
  Framed f;
  if (bytes.size() < kFrameBytes) {
    f.status = Framed::Status::incomplete;
    return f;
  }
  std::uint32_t length, crc;
  std::memcpy(&length, bytes.data(), 4);
  std::memcpy(&crc, bytes.data() + 4, 4);
  if (length == 0 || length > kMaxRecordBytes) return f;  // bad
  if (bytes.size() - kFrameBytes < length) {
    f.status = Framed::Status::incomplete;
    return f;
  }
  const std::string_view payload = bytes.substr(kFrameBytes, length);
  if (crc32c(payload) != crc) return f;
  ByteReader in(payload);
  Record& r = f.record;
  const std::uint8_t op = in.u8();
  if (op < static_cast<std::uint8_t>(RecordOp::reserve) || op > static_cast<std::uint8_t>(RecordOp::freeze)) return f;
  r.op = static_cast<RecordOp>(op);
  r.time = in.i64();
  switch (r.op) {
    case RecordOp::reserve:
      r.amount = in.i64();
      r.id = in.str();
      r.donor = in.str();
      r.project = in.str();
      r.channel = in.str();
      break;
    case RecordOp::top_up:
      r.amount = in.i64();
      r.id = in.str();
      break;
    case RecordOp::freeze:
      r.claw_back = in.u8() != 0;
      r.id = in.str();
      break;
    case RecordOp::advance:
      break;
    default:
      r.id = in.str();
      break;
  }
  if (in.failed() || !in.at_end()) return f;
  f.status = Framed::Status::ok;
  f.size = kFrameBytes + length;
  return f;
}

}  // namespace matchfund::durable
