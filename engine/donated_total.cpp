#include "engine/donated_total.hpp"

namespace matchfund {

DonatedTotal::DonatedTotal() = default;
DonatedTotal::~DonatedTotal() = default;

bool DonatedTotal::add_exactly(const StringColumn& ids, const Minor* amount, std::uint32_t row) {
  if (!exact_) {
    // Every row before this one fitted with duplicates counted, so it fits without.
    exact_ = std::make_unique<Interner>();
    total_ = 0;
    for (std::uint32_t k = 0; k < row; ++k)
      if (exact_->intern(ids.name(k)).second) total_ += amount[k];
  }
  if (!exact_->intern(ids.name(row)).second) return true;  // a duplicate: not donated again
  if (amount[row] > kMinorMax - total_) return false;
  total_ += amount[row];
  return true;
}

Minor DonatedTotal::donated(const std::vector<std::uint32_t>& repeats, const Minor* amount) const {
  if (exact_) return total_;
  Minor total = total_;
  for (const std::uint32_t k : repeats) total -= amount[k];
  return total;
}

}  // namespace matchfund
