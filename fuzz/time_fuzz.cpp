// Fuzzes RFC 3339 instants, UTC offsets and times of day (SPEC 1, 8). An
// accepted instant prints back exactly as written.
#include "engine/time.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace matchfund;
  const std::string_view text = fuzz::as_text(data, size);

  if (auto t = parse_instant(text)) {
    const std::string printed = format_instant(t->utc, t->style);
    if (printed != text) fuzz::violated("instant '" + std::string(text) + "' prints back as '" + printed + "'");
    (void)local_day(t->utc, 0);
  }
  if (auto offset = parse_utc_offset(text)) {
    if (*offset <= -kMicrosPerDay || *offset >= kMicrosPerDay) fuzz::violated("an offset of a day or more");
  }
  for (bool end_of_day : {false, true}) {
    if (auto tod = parse_time_of_day(text, end_of_day)) {
      if (*tod < 0 || *tod > kMicrosPerDay || (!end_of_day && *tod == kMicrosPerDay))
        fuzz::violated("a time of day out of range");
    }
  }
  return 0;
}
