// What a profile is made of: the event's calendar and daily rhythm, the
// catalogue of projects, the amount distributions, the special stream (a viral
// campaign or a synchronized burst), bot-like accounts, donors, and the rules
// and calibration table it writes. Values are for --scale 1 unless noted.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/money.hpp"
#include "generator/generator.hpp"
#include "generator/hll.hpp"
#include "generator/tables.hpp"

namespace matchfund::gen {

// A surge: `share` of its day's rows arrive after `at_hours` (local), rising
// over `rise_minutes` and decaying with time constant `tau_minutes`.
struct Surge {
  int day;  // 0-based local day of the event
  double at_hours;
  double share;
  double tau_minutes;
  double rise_minutes;
};

// Rows per local day, spread by an hourly rhythm plus surges.
struct DailyShape {
  std::vector<double> day_weights;  // relative rows per day, one per day of the event
  std::array<double, 25> rhythm{};  // relative rate at 00:00, 01:00, ..., 24:00, linear in between
  std::vector<Surge> surges;
};

struct Category {
  std::string name;
  std::string prefix;         // of its project ids: "edu" gives edu-00042
  double project_share;       // of the catalogue
  double donation_share;      // of regular rows, and of their amount
  double zipf_alpha;          // popularity of the rank r project: (r + offset)^-alpha
  double zipf_offset;
};

struct Channel {
  std::string name;
  double share;
  bool small_amounts;  // drawn from the small-amount model (step-count donations)
};

// A stream of its own on top of the regular one: the viral campaign of 2017,
// the 08:00 burst of GivingTuesday.
struct SpecialStream {
  std::string label;
  double donations = 0;   // rows at scale 1
  double donated = 0;     // major units at scale 1
  double start_hours = 0; // from the event's first local midnight
  double duration_hours = 0;
  double gamma_k = 2, gamma_theta_hours = 1;  // arrival density x^(k-1) e^(-x/theta) over the duration
  double slice_ms = 1000;
  AmountModel amounts;
  std::size_t amount_tail = 0;  // the range whose weight is solved to hit `donated`
  bool viral_project = false;   // all rows to one extra project of category viral_category
  int viral_category = 0;
  std::string viral_id;
  int top_per_category = 0;     // otherwise: the top ranks of every category
  double top_alpha = 1;
  double donor_pool = 0;        // its own donors at scale 1
  double donor_offset = 1;      // log-uniform rank offset, as a fraction of the pool
  double from_regular_donors = 0;
  std::vector<Channel> channels;
};

struct Bots {
  double accounts = 0;   // at scale 1; each makes one burst
  double donations = 0;  // at scale 1
  int min_burst = 6;     // donations per account, at least (more than 5 a minute)
  double min_gap_s = 1.5, max_gap_s = 8;
};

// Figures measured while writing the stream.
struct Stats {
  std::uint64_t rows = 0;
  Minor donated = 0;
  std::array<std::uint64_t, 3> rows_by_kind{};  // regular, special, bot
  std::array<Minor, 3> donated_by_kind{};
  std::vector<std::uint64_t> rows_by_category;
  std::vector<Minor> donated_by_category;
  std::vector<std::uint64_t> rows_by_channel;
  std::vector<std::uint64_t> rows_by_day;
  std::vector<Minor> donated_by_day;
  std::vector<std::uint64_t> rows_by_project;
  std::int64_t first_ms = 0, last_ms = 0;          // earliest and latest time written
  std::int64_t special_first_ms = 0, special_last_ms = 0;
  std::uint64_t bot_accounts = 0;
  std::uint64_t out_of_order = 0;                  // rows earlier than a row before them
  Minor max_amount = 0;
  Minor probe_sum = 0;  // amounts in the profile's probe window, each capped at probe.cap
  Hll donors;
};

// What the rules builder needs from the catalogue.
struct RulesContext {
  double scale = 1;
  std::uint64_t seed = 0;
  std::function<std::string(int category, std::uint32_t rank)> project_id;  // rank 0 is the most popular
  std::vector<std::uint32_t> category_sizes;
  std::string viral_id;
};

// Scaled budgets by group, for the calibration table.
struct RulesOut {
  std::string json;
  Minor platform = 0, corporate = 0, surprise = 0;
  Minor per_project = 0;  // a per-project cap worth reporting
};

// A window whose donated sum the calibration table reports (the morning of
// day 1, the first seconds of a burst), each amount capped at `cap` (0: none).
struct Probe {
  int day = 0;
  double from_hours = 0, to_hours = 0;
  Minor cap = 0;
};

struct Profile {
  std::string name;
  std::string currency;
  int utc_offset_minutes = 0;
  int year = 1970, month = 1, day = 1;  // the first local day
  int days = 1;
  double donations = 0;   // rows at scale 1, all streams
  double donated = 0;     // major units at scale 1, all streams
  std::uint32_t projects = 0;  // the catalogue at every scale, viral project included
  std::vector<Category> categories;
  std::vector<Channel> channels;
  AmountModel amounts;          // regular rows; its tail range is solved to hit `donated`
  std::size_t amount_tail = 0;
  AmountModel small_amounts;    // step-count donations
  Minor big_amount = 0;         // regular amounts from here on are spread over categories exactly
  DailyShape shape;
  double slice_ms = 1000;
  bool has_special = false;
  SpecialStream special;
  Bots bots;
  double donor_pool = 0;        // regular donors at scale 1
  double donor_offset = 0.0004; // log-uniform rank offset as a fraction of the pool
  int orgs_mean_projects = 3;   // projects per org, on average (orgs group projects within a category)
  bool org_per_project = false;
  Probe probe;
  double late_share = 0.0005;   // rows written with a time up to 3 s earlier than their neighbours
  std::function<RulesOut(const Profile&, const RulesContext&)> rules;
  std::function<std::vector<CalibrationRow>(const Profile&, const Stats&, const RulesOut&, double scale)> calibrate;
};

const Profile* find_profile(std::string_view name);

}  // namespace matchfund::gen
