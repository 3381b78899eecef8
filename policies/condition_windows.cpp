// "windows": [{"start": TIME, "end": TIME}, ...]: eligible when start <= t < end
// for at least one window. An empty array matches nothing.
#include <vector>

#include "policies/policy.hpp"
#include "engine/text.hpp"

namespace matchfund {
namespace {

struct Window {
  Micros start, end;
};

class WindowsCondition final : public Condition {
 public:
  explicit WindowsCondition(std::vector<Window> windows) : windows_(std::move(windows)) {}
  bool varies_per_donation() const override { return true; }
  Verdict classify(const DonationBatch& b) const override {
    bool overlaps = false;
    for (const Window& w : windows_) {
      if (b.min_time >= w.start && b.max_time < w.end) return Verdict::all_pass;
      overlaps |= b.max_time >= w.start && b.min_time < w.end;
    }
    return overlaps ? Verdict::look : Verdict::none_pass;
  }
  void filter(const DonationBatch& b, std::uint64_t* mask, unsigned bit) const override {
    for (std::size_t i = 0; i < b.size; ++i) {
      bool inside = false;
      for (const Window& w : windows_) inside |= (b.time[i] >= w.start) & (b.time[i] < w.end);
      mask[i] &= ~(std::uint64_t{!inside} << bit);
    }
  }

 private:
  std::vector<Window> windows_;
};

Micros instant(const RuleNode& node) {
  auto t = parse_instant(node.string());
  if (!t) node.fail(quote(node.string()) + " is not an RFC 3339 time such as 2017-09-07T09:00:00+08:00");
  return t->utc;
}

}  // namespace

std::unique_ptr<Condition> parse_windows_condition(const RuleNode& node, const PoolContext&) {
  std::size_t n = node.expect_array();
  std::vector<Window> windows;
  for (std::size_t i = 0; i < n; ++i) {
    RuleNode w = node.at(i);
    w.expect_object({"start", "end"});
    if (!w.has("start") || !w.has("end")) w.fail("a window needs \"start\" and \"end\"");
    Window window{instant(w.child("start")), instant(w.child("end"))};
    if (window.start >= window.end) w.child("end").fail("end must be after start");
    windows.push_back(window);
  }
  return std::make_unique<WindowsCondition>(std::move(windows));
}

}  // namespace matchfund
