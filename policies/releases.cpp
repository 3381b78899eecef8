#include "policies/releases.hpp"

#include <algorithm>
#include "engine/text.hpp"

namespace matchfund {

std::vector<Release> parse_releases(const RuleNode& node, const PoolContext& pool, Minor budget) {
  std::size_t n = node.expect_array();
  if (n == 0) node.fail("releases must not be empty (their amounts must sum to the budget)");
  std::vector<Release> out;
  Wide total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    RuleNode r = node.at(i);
    r.expect_object({"at", "amount"});
    if (!r.has("at") || !r.has("amount")) r.fail("a release needs \"at\" and \"amount\"");
    RuleNode at = r.child("at");
    auto t = parse_instant(at.string());
    if (!t) at.fail(quote(at.string()) + " is not an RFC 3339 time such as 2017-09-07T09:00:00+08:00");
    Minor amount = r.child("amount").amount(pool.minor_units);
    total += amount;
    out.push_back({t->utc, amount});
  }
  if (total != budget) node.fail("the release amounts must sum exactly to the budget");
  std::stable_sort(out.begin(), out.end(), [](const Release& a, const Release& b) { return a.at < b.at; });
  return out;
}

}  // namespace matchfund
