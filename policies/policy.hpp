// The plug-in point: a policy is one rule family. Rates compute a base,
// conditions decide eligibility, caps describe a counter with a limit. Each
// family lives in its own file and is registered in registry.def.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/money.hpp"
#include "engine/rule_node.hpp"
#include "engine/time.hpp"

namespace matchfund {

// What a policy parser knows about the pool it belongs to.
struct PoolContext {
  int minor_units = 2;
  std::uint64_t seed = 0;
  std::string_view pool_id;
};

// A run of consecutive donations, as the stateless steps see them.
struct DonationBatch {
  std::size_t size = 0;
  Micros min_time = 0, max_time = 0;  // the earliest and latest time in the batch
  Micros utc_offset = 0;              // the rules' offset (local time = UTC + offset)
  const Micros* time = nullptr;         // UTC
  const Micros* time_of_day = nullptr;  // local time of day under the rules' utc_offset
  const Minor* amount = nullptr;
  const std::uint64_t* id_hash = nullptr;  // fnv1a64 of each donation id
};

// A base that does not fit int64 minor units: an input error, raised only if
// the pool turns out to be eligible for that donation (SPEC 8).
inline constexpr Minor kBaseOverflow = -1;

// floor(amount * ratio) as a base, kBaseOverflow when it does not fit int64.
// The common case (32-bit factors) cannot overflow, so it skips the check.
inline Minor ratio_base(Minor amount, Ratio ratio) {
  if (fits_64_bit_product(amount, ratio)) [[likely]] return static_cast<Minor>(multiply_floor_64(amount, ratio));
  const Wide v = multiply_floor(amount, ratio);
  return v > kMinorMax ? kBaseOverflow : static_cast<Minor>(v);
}

class Rate {
 public:
  virtual ~Rate() = default;
  // The base of a donation (kBaseOverflow when too large); asked only for a
  // pool the donation is eligible for.
  virtual Minor base(Minor amount, std::uint64_t id_hash) const = 0;
  // The bases of the donations index[0..n) (increasing) of a batch: out[j] = base(amount[index[j]],
  // id_hash[index[j]]); returns whether one of them is kBaseOverflow. One
  // virtual call per pool and batch instead of one per donation.
  virtual bool bases(const Minor* amount, const std::uint64_t* id_hash, const std::uint16_t* index, std::size_t n,
                     Minor* out) const = 0;
  // A ratio r with base(a) <= floor(a * r) for every amount a, or none when
  // no ratio bounds the base (a fixed amount). Lets the allocator skip the
  // max_total_ratio headroom where it cannot bind.
  virtual std::optional<Ratio> most_ratio() const { return std::nullopt; }
};

// Rate::bases for a rate class `Self`: its base called directly, so it inlines into the loop.
template <class Self>
class BatchedRate : public Rate {
 public:
  // `out` is restrict: its stores cannot change the rate's fields, which then stay in registers.
  bool bases(const Minor* amount, const std::uint64_t* id_hash, const std::uint16_t* index, std::size_t n,
             Minor* __restrict out) const final {
    const Self& self = static_cast<const Self&>(*this);
    bool overflow = false;
    for (std::size_t j = 0; j < n; ++j) {
      out[j] = self.Self::base(amount[index[j]], id_hash[index[j]]);
      overflow |= out[j] == kBaseOverflow;
    }
    return overflow;
  }
};

class Condition {
 public:
  virtual ~Condition() = default;
  // Conditions on the project or channel are evaluated once per name when a
  // plan is compiled, so the hot path only reads a bit.
  virtual bool accepts_project(const Catalog&, std::uint32_t /*project*/) const { return true; }
  virtual bool accepts_channel(std::string_view /*channel*/) const { return true; }
  // Conditions on the donation itself (time, amount) filter a batch.
  virtual bool varies_per_donation() const { return false; }
  // Clears bit `bit` of mask[i] for each donation i of the batch that fails.
  virtual void filter(const DonationBatch& /*batch*/, std::uint64_t* /*mask*/, unsigned /*bit*/) const {}
  // What the condition says of a whole batch from its time range alone, so a
  // pool that a time window closes is skipped without a look at each donation.
  enum class Verdict { all_pass, none_pass, look };
  virtual Verdict classify(const DonationBatch& /*batch*/) const { return Verdict::look; }
};

// Whose grants a cap counts.
enum class Scope : std::uint8_t { donation, donor, donor_project, project, org };
enum class Period : std::uint8_t { campaign, day };

// A cap is data: a counter per scope and period, and its limit.
struct CapSpec {
  Scope scope = Scope::donation;
  Period period = Period::campaign;
  bool counts_grants = false;   // true: counts grants > 0; false: sums granted amounts
  std::optional<Minor> limit;   // nullopt: unbounded (but for overrides)
  std::vector<std::pair<std::string, Minor>> project_overrides;  // replace limit for these projects
};

}  // namespace matchfund
