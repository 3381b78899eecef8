// The outcome metrics of one scenario (docs/simulation.md): a sink the
// allocator writes its ledger rows to, and what it adds up to at the end.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "engine/allocator.hpp"
#include "engine/donation_stream.hpp"

namespace matchfund::sweep {

// What the stream alone says, shared by every scenario.
struct StreamFacts {
  Eigen::ArrayXd donated_by_project;        // in currency units, by project index
  std::vector<std::uint8_t> has_donations;  // by project index
  double donated = 0;                       // in currency units
  std::uint64_t donations = 0;
  Micros first = 0, last = 0;               // the earliest and latest donation
};
StreamFacts stream_facts(const DonationStream& stream, const Catalog& catalog, int minor_units);

struct ScenarioOutcome {
  // Named metrics in column order; NaN where a metric does not apply.
  std::vector<std::pair<std::string, double>> metrics;
  std::vector<double> lorenz_projects, lorenz_orgs;  // 101 points each
  std::vector<Micros> bin_end;                       // the end of each time bin
  std::vector<std::vector<double>> cumulative;       // [pool in rules order][bin]: matched so far
  std::vector<std::pair<std::string, Micros>> ran_out;  // pool id -> when it reached its budget (0: never)
  struct Project {
    std::uint32_t index;
    double donated, matched;
  };
  std::vector<Project> projects;  // those with donations
  std::vector<std::pair<std::string, double>> by_category;  // matched, in currency units
};

class MetricsSink {
 public:
  static constexpr int kBins = 240;
  MetricsSink(const Plan& plan, const Catalog& catalog, const DonationStream& stream, const StreamFacts& facts);

  void row(std::uint64_t seq, std::uint32_t pool, Minor base, Minor grant, LimitId limit) {
    (void)base;
    if (donor_cap_[pool * 256 + limit]) {
      const std::uint32_t donor = stream_.donor[seq];
      std::uint64_t& word = capped_[donor / 64];
      const std::uint64_t bit = std::uint64_t{1} << (donor % 64);
      donors_capped_ += (word & bit) == 0;
      word |= bit;
    }
    if (grant == 0) return;
    pool_matched_[pool] += grant;
    project_matched_[stream_.project[seq]] += grant;
    channel_matched_[stream_.channel[seq]] += grant;
    bins_[pool * kBins + bin_of(stream_.time[seq])] += grant;
    if (seq != last_matched_seq_) {
      last_matched_seq_ = seq;
      ++matched_donations_;
    }
  }

  ScenarioOutcome finish(const Allocator& allocator) const;

 private:
  // floor((t - first) * kBins / span) without a division per row: the bin of
  // the previous row is checked first (streams come nearly in time order),
  // then the bin starts are searched.
  int bin_of(Micros t) {
    const std::int64_t from_first = t - facts_.first;
    if (from_first >= bin_start_[last_bin_] && from_first < bin_start_[last_bin_ + 1]) return last_bin_;
    last_bin_ = static_cast<int>(std::upper_bound(bin_start_.begin(), bin_start_.end(), from_first) - bin_start_.begin()) - 1;
    return last_bin_;
  }

  const Plan& plan_;
  const Catalog& catalog_;
  const DonationStream& stream_;
  const StreamFacts& facts_;
  double scale_;  // minor units per currency unit
  std::int64_t span_;  // microseconds from the first donation to one past the last
  std::vector<Minor> pool_matched_, project_matched_, channel_matched_, bins_;
  std::vector<std::uint8_t> donor_cap_;  // [pool * 256 + limit id]: a cap on a donor's own giving
  std::vector<std::uint64_t> capped_;    // a bit per donor: small enough to stay in cache
  // [b]: the first offset from the first donation in bin b, ceil(b * span / kBins); [kBins] = span.
  std::vector<std::int64_t> bin_start_;
  int last_bin_ = 0;
  std::uint64_t last_matched_seq_ = UINT64_MAX, matched_donations_ = 0, donors_capped_ = 0;
};

}  // namespace matchfund::sweep

namespace matchfund {
// The allocator's kernels for the metrics sink are compiled once, in sweep.cpp (see ledger.hpp).
extern template std::size_t Allocator::allocate<sweep::MetricsSink>(const DonationInput&, std::uint64_t,
                                                                    sweep::MetricsSink&);
}  // namespace matchfund
