// A plain reference implementation of SPEC section 4 (allocating donations)
// and the numbers of section 5, written independently of the engine's
// allocator, plan and policies: its own input model, money as arbitrary
// precision integers, state in std::map, one donation and one pool at a time.
// It exists to be obviously correct, not fast. Differential tests compare the
// engine against it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

namespace reference {

using Money = boost::multiprecision::cpp_int;  // minor units; ratios in millionths

enum class Period { campaign, day };

struct AmountCap {
  Money amount;  // minor units
  Period per = Period::campaign;
};
struct CountCap {
  Money count;
  Period per = Period::campaign;
};
struct ProjectCap {
  std::optional<Money> amount;        // absent: projects without an override are uncapped
  Period per = Period::campaign;
  std::map<std::string, Money> overrides;  // project id -> amount
};
struct Caps {
  std::optional<Money> per_donation;
  std::optional<CountCap> per_donor_count;
  std::optional<AmountCap> per_donor;
  std::optional<AmountCap> per_donor_project;
  std::optional<ProjectCap> per_project;
  std::optional<AmountCap> per_org;
};

struct Band {
  std::optional<Money> up_to;  // minor units; absent only on an open-ended last band
  Money ratio;                 // millionths
};
struct Rate {
  enum class Kind { ratio, tiers, random, fixed };
  Kind kind = Kind::ratio;
  Money ratio;              // ratio: millionths
  std::vector<Band> tiers;  // tiers
  Money min, max, step;     // random: millionths
  Money fixed;              // fixed: minor units
};

struct Eligibility {
  std::optional<std::vector<std::string>> projects, exclude_projects, categories, orgs, channels;
  std::optional<Money> min_donation;
};

struct Window {
  std::int64_t start = 0, end = 0;  // UTC microseconds, [start, end)
};
struct DailyRange {
  std::int64_t from = 0, to = 0;  // microseconds into the local day, [from, to)
};
struct Release {
  std::int64_t at = 0;  // UTC microseconds
  Money amount;
};

struct Pool {
  std::string id;
  Money budget;
  std::int64_t priority = 0;
  bool stack = true;
  Rate rate;
  Eligibility eligible;
  std::optional<std::vector<Window>> windows;
  std::optional<std::vector<DailyRange>> daily_hours;
  std::optional<std::vector<Release>> releases;
  Caps caps;
};

struct Rules {
  int minor_units = 2;
  std::int64_t utc_offset = 0;  // microseconds
  std::uint64_t seed = 0;
  std::optional<Money> max_total_ratio;  // millionths
  std::vector<Pool> pools;  // in rules file order
};

struct Donation {
  std::string id;
  std::int64_t time = 0;   // UTC microseconds
  std::string time_text;   // as written in the input
  std::string donor;
  std::string project;
  Money amount;            // minor units
  std::string channel;     // "" means cash
};

struct Project {
  std::string category, org;
};

struct LedgerRow {
  std::string donation, pool;
  Money base, granted;
  std::string limit;
  friend bool operator==(const LedgerRow&, const LedgerRow&) = default;
};

struct PoolSummary {
  std::string id;
  Money budget, granted;
  std::uint64_t grants = 0;
  std::optional<std::string> exhausted_at;
};

struct Result {
  std::vector<LedgerRow> ledger;
  std::uint64_t donations = 0, duplicates = 0;
  Money donated, matched;
  std::vector<PoolSummary> pools;  // in rules file order
  // Set when a base does not fit a signed 64-bit count of minor units (SPEC 8,
  // an input error): the index in `donations` of that donation. Allocation
  // stops there; the ledger holds the rows written before the failing pool.
  std::optional<std::size_t> base_overflow_at;
};

// Allocates `donations` in order under `rules` (SPEC 4, 5). Projects missing
// from `projects` have empty category and org.
Result allocate(const Rules& rules, const std::map<std::string, Project>& projects,
                const std::vector<Donation>& donations);

}  // namespace reference
