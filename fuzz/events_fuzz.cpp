// Fuzzes the lifecycle events CSV reader (SPEC 6).
#include "engine/events.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace matchfund;
  const int minor_units = size > 0 ? data[0] % 7 : 2;
  const std::string_view text = fuzz::as_text(data, size).substr(size > 0 ? 1 : 0);
  fuzz::errors_only([&] {
    Catalog catalog;
    EventStream s = read_events(text, "events.csv", minor_units, catalog);
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.op[i] == EventOp::reserve && s.amount[i] <= 0) fuzz::violated("a reserve with amount <= 0 was accepted");
  });
  return 0;
}
