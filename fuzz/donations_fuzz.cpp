// Fuzzes the donations CSV reader (SPEC 2, 8): any bytes either give a stream
// or an input Error naming the file and line.
#include "engine/ingest.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace matchfund;
  const int minor_units = size > 0 ? data[0] % 7 : 2;  // 0 to 6, as the rules allow
  const std::string_view text = fuzz::as_text(data, size).substr(size > 0 ? 1 : 0);
  fuzz::errors_only([&] {
    Catalog catalog;
    DonationStream s = read_donations(text, "donations.csv", minor_units, catalog);
    Minor donated = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s.amount[i] <= 0) fuzz::violated("a donation amount <= 0 was accepted");
      donated += s.amount[i];
    }
    if (donated != s.donated) fuzz::violated("the stream's donated total differs from the sum of its amounts");
  });
  return 0;
}
