// Fuzzes the settlement contributions CSV reader (SPEC 7), with and without a
// column map like the golden Gitcoin round's.
#include "engine/settlement/contributions.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace matchfund;
  ColumnMap map;
  if (size > 0 && (data[0] & 1)) map = {{"donor", "voter"}, {"project", "grantAddress"}, {"amount", "amountUSD"}};
  const std::string_view text = fuzz::as_text(data, size).substr(size > 0 ? 1 : 0);
  fuzz::errors_only([&] {
    Contributions c = read_contributions(text, "contributions.csv", map);
    if (c.donor.size() != c.size() || c.project.size() != c.size() || c.weight.size() != c.size())
      fuzz::violated("contribution columns of different lengths");
  });
  return 0;
}
