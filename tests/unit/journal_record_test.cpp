// Journal records: CRC-32C, framing round trips, and what a reader says of a
// cut or damaged frame.
#include <gtest/gtest.h>

#include "engine/durable/bytes.hpp"
#include "engine/durable/record.hpp"

using namespace matchfund;
using namespace matchfund::durable;

TEST(JournalRecord, Crc32cMatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);  // RFC 3720, appendix B.4
  EXPECT_EQ(crc32c(""), 0u);
  EXPECT_NE(crc32c("12345678"), crc32c("12345679"));  // a change in the last byte of a word
}

TEST(JournalRecord, EveryKindRoundTrips) {
  const Record records[] = {
      {RecordOp::reserve, -5, 1234, false, "d-1", "ann", "school", "coins"},
      {RecordOp::extend, 7, 0, false, "d-1"},
      {RecordOp::confirm, 8, 0, false, "d-1"},
      {RecordOp::cancel, 9, 0, false, "d-2"},
      {RecordOp::refund, 10, 0, false, "d-1"},
      {RecordOp::advance, 11},
      {RecordOp::top_up, 0, 500, false, "main"},
      {RecordOp::freeze, 0, 0, true, "school"},
  };
  std::string bytes;
  for (const Record& r : records) append_record(bytes, r);
  std::string_view rest = bytes;
  for (const Record& r : records) {
    Framed f = read_record(rest);
    ASSERT_EQ(f.status, Framed::Status::ok);
    EXPECT_EQ(f.record.op, r.op);
    EXPECT_EQ(f.record.time, r.time);
    EXPECT_EQ(f.record.amount, r.amount);
    EXPECT_EQ(f.record.claw_back, r.claw_back);
    EXPECT_EQ(f.record.id, r.id);
    EXPECT_EQ(f.record.donor, r.donor);
    EXPECT_EQ(f.record.project, r.project);
    EXPECT_EQ(f.record.channel, r.channel);
    rest.remove_prefix(f.size);
  }
  EXPECT_TRUE(rest.empty());
}

TEST(JournalRecord, ACutFrameIsIncompleteAndAFlippedBitIsBad) {
  std::string bytes;
  append_record(bytes, {RecordOp::reserve, 1, 100, false, "d-1", "ann", "school", ""});
  for (std::size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_EQ(read_record(std::string_view(bytes).substr(0, cut)).status, Framed::Status::incomplete) << cut;
  for (std::size_t at = kFrameBytes; at < bytes.size(); ++at) {
    std::string damaged = bytes;
    damaged[at] ^= 0x10;
    EXPECT_EQ(read_record(damaged).status, Framed::Status::bad) << at;
  }
  EXPECT_EQ(read_record(std::string(16, '\0')).status, Framed::Status::bad);  // length 0
}
