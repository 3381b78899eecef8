// "daily_hours": [{"from": "HH:MM", "to": "HH:MM"}, ...]: eligible when the
// local time of day (rules' utc_offset) is in [from, to) of at least one range.
#include <vector>

#include "policies/policy.hpp"
#include "engine/text.hpp"

namespace matchfund {
namespace {

struct Range {
  Micros from, to;
};

class DailyHoursCondition final : public Condition {
 public:
  explicit DailyHoursCondition(std::vector<Range> ranges) : ranges_(std::move(ranges)) {}
  bool varies_per_donation() const override { return true; }
  Verdict classify(const DonationBatch& b) const override {
    // Only a batch within one local day has a simple time-of-day range.
    if (local_day(b.min_time, b.utc_offset) != local_day(b.max_time, b.utc_offset)) return Verdict::look;
    const Micros from = local_time_of_day(b.min_time, b.utc_offset), to = local_time_of_day(b.max_time, b.utc_offset);
    bool overlaps = false;
    for (const Range& r : ranges_) {
      if (from >= r.from && to < r.to) return Verdict::all_pass;
      overlaps |= to >= r.from && from < r.to;
    }
    return overlaps ? Verdict::look : Verdict::none_pass;
  }
  void filter(const DonationBatch& b, std::uint64_t* mask, unsigned bit) const override {
    for (std::size_t i = 0; i < b.size; ++i) {
      bool inside = false;
      for (const Range& r : ranges_) inside |= (b.time_of_day[i] >= r.from) & (b.time_of_day[i] < r.to);
      mask[i] &= ~(std::uint64_t{!inside} << bit);
    }
  }

 private:
  std::vector<Range> ranges_;
};

Micros time_of_day(const RuleNode& node, bool is_end) {
  auto t = parse_time_of_day(node.string(), is_end);
  if (!t)
    node.fail(quote(node.string()) + " is not a local time HH:MM or HH:MM:SS with HH 00-23" +
              (is_end ? " (or 24:00)" : ""));
  return *t;
}

}  // namespace

std::unique_ptr<Condition> parse_daily_hours_condition(const RuleNode& node, const PoolContext&) {
  std::size_t n = node.expect_array();
  std::vector<Range> ranges;
  for (std::size_t i = 0; i < n; ++i) {
    RuleNode r = node.at(i);
    r.expect_object({"from", "to"});
    if (!r.has("from") || !r.has("to")) r.fail("a daily range needs \"from\" and \"to\"");
    Range range{time_of_day(r.child("from"), false), time_of_day(r.child("to"), true)};
    if (range.from >= range.to) r.child("to").fail("to must be after from (write a range over midnight as two ranges)");
    ranges.push_back(range);
  }
  return std::make_unique<DailyHoursCondition>(std::move(ranges));
}

}  // namespace matchfund
