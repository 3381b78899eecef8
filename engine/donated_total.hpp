// The total donated by a stream's rows, checked to fit int64 row by row in
// file order while duplicate ids are not yet known (find_repeats finds them
// once the file is read, and a duplicate is not donated again).
//
// Every row is added at first: that total can only overstate the true one,
// so while it fits, the true one fits. Should it pass kMinorMax, the rows so
// far are indexed by id, and from then on each row is added exactly, only
// when its id is new. Either way the first row whose amount no longer fits
// is the one refused, as if duplicates had been known all along.
#pragma once

#include <memory>
#include <vector>

#include "engine/interner.hpp"
#include "engine/money.hpp"
#include "engine/string_column.hpp"

namespace matchfund {

class DonatedTotal {
 public:
  DonatedTotal();
  ~DonatedTotal();

  // Adds row `row`, whose id is ids.name(row) and amount amount[row]
  // (amounts above 0), once every row before it is added. False when the
  // row's id is new and the total with it no longer fits a Minor.
  bool add(const StringColumn& ids, const Minor* amount, std::uint32_t row) {
    const Minor a = amount[row];
    if (!exact_ && a <= kMinorMax - total_) [[likely]] {
      total_ += a;
      return true;
    }
    return add_exactly(ids, amount, row);
  }

  // The total of the rows not in `repeats` (find_repeats of the same ids).
  Minor donated(const std::vector<std::uint32_t>& repeats, const Minor* amount) const;

 private:
  [[gnu::cold, gnu::noinline]] bool add_exactly(const StringColumn& ids, const Minor* amount, std::uint32_t row);

  Minor total_ = 0;                 // every row's amount; only the new ids' once exact_ is set
  std::unique_ptr<Interner> exact_;  // the ids so far, once the overstated total has not fit
};

}  // namespace matchfund
