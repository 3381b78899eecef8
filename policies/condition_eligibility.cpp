// The "eligible" object: projects, exclude_projects, categories, orgs and
// channels match names literally; min_donation compares the amount. An empty
// list matches nothing, except exclude_projects, which then excludes nothing.
#include <emmintrin.h>

#include <algorithm>
#include <string>
#include <vector>

#include "policies/policy.hpp"

namespace matchfund {
namespace {

enum class NameField { project, category, org };

std::vector<std::string> names(const RuleNode& node) {
  std::size_t n = node.expect_array();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(node.at(i).string());
  return out;
}

bool listed(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

class ProjectNamesCondition final : public Condition {
 public:
  ProjectNamesCondition(std::vector<std::string> list, NameField field, bool exclude)
      : list_(std::move(list)), field_(field), exclude_(exclude) {}
  bool accepts_project(const Catalog& c, std::uint32_t p) const override {
    std::string_view name = field_ == NameField::project    ? c.projects.name(p)
                            : field_ == NameField::category ? c.categories.name(c.project_category[p])
                                                            : c.orgs.name(c.project_org[p]);
    return listed(list_, name) != exclude_;
  }

 private:
  std::vector<std::string> list_;
  NameField field_;
  bool exclude_;
};

class ChannelsCondition final : public Condition {
 public:
  explicit ChannelsCondition(std::vector<std::string> list) : list_(std::move(list)) {}
  bool accepts_channel(std::string_view channel) const override { return listed(list_, channel); }

 private:
  std::vector<std::string> list_;
};

class MinDonationCondition final : public Condition {
 public:
  explicit MinDonationCondition(Minor min) : min_(min) {}
  bool varies_per_donation() const override { return true; }
  void filter(const DonationBatch& b, std::uint64_t* mask, unsigned bit) const override {
    // amount - min has its sign bit set exactly when amount < min (neither is
    // negative, so no overflow): two donations at a time in SSE2's 64-bit
    // lanes, that bit moved to the pool's and cleared from their masks.
    const Minor min = min_;  // a local: the mask stores could alias the field in place
    const Minor* amount = b.amount;
    const __m128i min_lanes = _mm_set1_epi64x(min);
    const __m128i to_bit = _mm_cvtsi32_si128(static_cast<int>(bit));
    std::size_t i = 0;
    for (; i + 2 <= b.size; i += 2) {
      const __m128i below =
          _mm_srli_epi64(_mm_sub_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(amount + i)), min_lanes), 63);
      __m128i* masks = reinterpret_cast<__m128i*>(mask + i);
      _mm_storeu_si128(masks, _mm_andnot_si128(_mm_sll_epi64(below, to_bit), _mm_loadu_si128(masks)));
    }
    if (i < b.size) mask[i] &= ~(std::uint64_t{amount[i] < min} << bit);
  }

 private:
  Minor min_;
};

}  // namespace

std::unique_ptr<Condition> parse_projects_condition(const RuleNode& node, const PoolContext&) {
  return std::make_unique<ProjectNamesCondition>(names(node), NameField::project, false);
}
std::unique_ptr<Condition> parse_exclude_projects_condition(const RuleNode& node, const PoolContext&) {
  return std::make_unique<ProjectNamesCondition>(names(node), NameField::project, true);
}
std::unique_ptr<Condition> parse_categories_condition(const RuleNode& node, const PoolContext&) {
  return std::make_unique<ProjectNamesCondition>(names(node), NameField::category, false);
}
std::unique_ptr<Condition> parse_orgs_condition(const RuleNode& node, const PoolContext&) {
  return std::make_unique<ProjectNamesCondition>(names(node), NameField::org, false);
}
std::unique_ptr<Condition> parse_channels_condition(const RuleNode& node, const PoolContext&) {
  return std::make_unique<ChannelsCondition>(names(node));
}
std::unique_ptr<Condition> parse_min_donation_condition(const RuleNode& node, const PoolContext& pool) {
  return std::make_unique<MinDonationCondition>(node.amount(pool.minor_units));
}

}  // namespace matchfund
