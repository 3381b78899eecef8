// Fuzzes amounts and ratios (SPEC 1, 8). No exceptions here: a parse either
// gives a value or a ParseFailure. An accepted amount must survive
// format_amount -> parse_amount unchanged.
#include "engine/money.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace matchfund;
  const int minor_units = size > 0 ? data[0] % 7 : 2;
  const std::string_view text = fuzz::as_text(data, size).substr(size > 0 ? 1 : 0);

  AmountResult a = parse_amount(text, minor_units);
  if (a.failure) {
    if (describe(*a.failure, text, minor_units).empty()) fuzz::violated("an empty amount error message");
  } else {
    if (a.value < 0) fuzz::violated("a negative amount was accepted");
    const std::string printed = format_amount(a.value, minor_units);
    AmountResult again = parse_amount(printed, minor_units);
    if (again.failure || again.value != a.value) fuzz::violated("amount " + printed + " does not parse back");
    std::string appended = "x";
    append_amount(appended, a.value, minor_units);
    if (appended != "x" + printed) fuzz::violated("append_amount differs from format_amount");
  }

  RatioResult r = parse_ratio(text);
  if (!r.failure) {
    if (r.value.micros < 0) fuzz::violated("a negative ratio was accepted");
    if (!a.failure && minor_units == 6 && a.value != r.value.micros)
      fuzz::violated("an amount with 6 minor units and the same ratio differ");
    (void)multiply_floor(a.failure ? 0 : a.value, r.value);
  }
  return 0;
}
