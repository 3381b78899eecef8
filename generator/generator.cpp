// The streaming workload generator. Three sources each yield rows in time
// order: the regular donations, the special stream (a viral campaign or an
// 08:00 burst) and bot-like accounts; a three-way merge writes them in time
// order. Arrival times come from "slice clocks": the event is cut into fixed
// slices and each slice draws its share of the rows still to come from the
// intensity function (so totals are exact and counts vary as in a Poisson
// process); its rows are spread evenly inside it.
// Nothing is kept per row: memory is the fixed tables of the profile.
#include "generator/generator.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <numeric>
#include <queue>

#include "engine/error.hpp"
#include "engine/file_io.hpp"
#include "generator/calendar.hpp"
#include "generator/model.hpp"
#include "generator/rng.hpp"
#include "generator/tables.hpp"

namespace matchfund::gen {
namespace {

namespace fs = std::filesystem;

enum Kind : std::uint8_t { kRegular = 0, kSpecial = 1, kBot = 2 };

// RNG stream tags: each consumer has its own stream, so changing one part of
// the model does not reshuffle the others.
enum : std::uint64_t {
  kTagRegularClock = 1,
  kTagRegular,
  kTagSpecialClock,
  kTagSpecial,
  kTagBotClock,
  kTagBot,
  kTagBotSizes,
  kTagLate,
  kTagWeylMain,
  kTagWeylSmall,
  kTagWeylSpecial,
};
constexpr std::uint64_t kCatalogueSeed = 0x6D61746368667564ull;  // the catalogue is the same for every seed

// The most bot bursts in flight at once; a burst that would exceed it starts
// when one ends (never reached below scale ~100 of 2017).
constexpr std::size_t kMaxBotSessions = 16384;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

struct Row {
  std::int64_t ms = 0;  // UTC milliseconds since 1970
  std::uint64_t donor = 0;
  Minor amount = 0;
  std::uint32_t project = 0;
  std::uint8_t channel = 0;  // index in Generator::channel_names_
  std::uint8_t kind = 0;
};

// Binomial(n, p): inversion when the mean is small, else the normal
// approximation (rounded and clamped). Callers only rely on 0 <= k <= n.
std::uint64_t binomial(Rng& rng, std::uint64_t n, double p) {
  if (n == 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  const double mean = static_cast<double>(n) * p;
  if (mean < 30) {
    double prob = std::exp(static_cast<double>(n) * std::log1p(-p));  // P(0)
    double u = rng.uniform();
    const double odds = p / (1 - p);
    std::uint64_t k = 0;
    while (u > prob && k < n) {
      u -= prob;
      prob *= static_cast<double>(n - k) / static_cast<double>(k + 1) * odds;
      ++k;
      if (prob <= 0) break;
    }
    return k;
  }
  const double u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
  const double z = std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  const double k = std::round(mean + z * std::sqrt(mean * (1 - p)));
  return static_cast<std::uint64_t>(std::clamp(k, 0.0, static_cast<double>(n)));
}

// Arrival times for exactly `total` rows over consecutive slices of
// `slice_ms`: each slice takes a binomial share of the rows still to come, in
// proportion to the density at its midpoint over the density still to come
// (so counts per slice vary as a Poisson process would, and the last slice
// takes what is left). A slice's rows sit at jittered even spacing inside it.
class SliceClock {
 public:
  using Density = std::function<double(std::int64_t offset_ms)>;  // offset from `start_ms`

  SliceClock() = default;
  SliceClock(std::int64_t start_ms, std::int64_t slice_ms, std::int64_t slices, std::uint64_t total, Density density,
             Rng rng)
      : start_(start_ms), width_(slice_ms), slices_(slices), total_(total), density_(std::move(density)), rng_(rng) {
    for (std::int64_t k = 0; k < slices_; ++k) weight_left_ += weight(k);
    if (!(weight_left_ > 0)) uniform_ = true;
    if (uniform_) weight_left_ = static_cast<double>(slices_);
  }

  bool next(std::int64_t& ms) {
    if (given_ == total_ || slices_ == 0) return false;
    while (j_ == count_) {
      ++slice_;
      const double w = weight(slice_);
      const std::uint64_t left = total_ - given_;
      const double p = slice_ + 1 >= slices_ || !(weight_left_ > w) ? 1.0 : w / weight_left_;
      weight_left_ -= w;
      count_ = binomial(rng_, left, p);
      j_ = 0;
    }
    const double offset = (static_cast<double>(j_) + rng_.uniform()) * static_cast<double>(width_) /
                          static_cast<double>(count_);
    ms = start_ + slice_ * width_ + static_cast<std::int64_t>(offset);
    ++j_;
    ++given_;
    return true;
  }

 private:
  double weight(std::int64_t k) const {
    if (uniform_) return 1.0;
    const double w = density_(k * width_ + width_ / 2);
    return w > 0 ? w : 0.0;
  }

  std::int64_t start_ = 0, width_ = 1, slices_ = 0;
  std::uint64_t total_ = 0;
  Density density_;
  Rng rng_{0, 0};
  bool uniform_ = false;
  double weight_left_ = 0;
  std::int64_t slice_ = -1;
  std::uint64_t count_ = 0, j_ = 0, given_ = 0;
};

// The daily rhythm and surges as a density over ms from the event's start.
class ShapeDensity {
 public:
  ShapeDensity(const DailyShape& shape, int days) : shape_(shape), days_(days) {
    for (int h = 0; h < 24; ++h) rhythm_area_ += 0.5 * (shape.rhythm[h] + shape.rhythm[h + 1]);
    const double day_total = std::accumulate(shape.day_weights.begin(), shape.day_weights.end(), 0.0);
    for (int d = 0; d < days; ++d) {
      day_weight_.push_back(d < static_cast<int>(shape.day_weights.size()) ? shape.day_weights[d] / day_total : 0.0);
      double surges = 0;
      for (const Surge& s : shape.surges)
        if (s.day == d) surges += s.share;
      background_.push_back(std::max(0.0, 1.0 - surges));
    }
    for (const Surge& s : shape.surges) {
      // The area of (1 - e^(-t/rise)) e^(-t/tau) over [0, 24h - at), in hours.
      const double tau = s.tau_minutes / 60, rise = s.rise_minutes / 60, span = 24 - s.at_hours;
      const double both = 1 / (1 / rise + 1 / tau);
      surge_area_.push_back(tau * (1 - std::exp(-span / tau)) - both * (1 - std::exp(-span / both)));
    }
  }
  double operator()(std::int64_t offset_ms) const {
    const std::int64_t day = floor_div(offset_ms, kMsPerDay);
    if (day < 0 || day >= days_) return 0;
    const double hours = static_cast<double>(offset_ms - day * kMsPerDay) / 3'600'000.0;
    const int h = std::min(23, static_cast<int>(hours));
    const double frac = hours - h;
    const double rhythm = shape_.rhythm[h] + (shape_.rhythm[h + 1] - shape_.rhythm[h]) * frac;
    double value = background_[day] * rhythm / rhythm_area_;
    for (std::size_t k = 0; k < shape_.surges.size(); ++k) {
      const Surge& s = shape_.surges[k];
      if (s.day != day || hours < s.at_hours) continue;
      const double t = hours - s.at_hours;
      value += s.share * (1 - std::exp(-t * 60 / s.rise_minutes)) * std::exp(-t * 60 / s.tau_minutes) / surge_area_[k];
    }
    return day_weight_[day] * value;
  }

 private:
  const DailyShape& shape_;
  int days_;
  double rhythm_area_ = 0;
  std::vector<double> day_weight_, background_, surge_area_;
};

// Donor ids: rank r of a log-uniform popularity (donor at rank r gives in
// proportion to 1 / (r + x0)), scattered over [base, base + size) by an affine
// permutation so that id order says nothing about activity.
class DonorPool {
 public:
  DonorPool() = default;
  DonorPool(std::uint64_t base, std::uint64_t size, double offset_fraction) : base_(base), size_(std::max<std::uint64_t>(1, size)) {
    x0_ = std::max(1.0, offset_fraction * static_cast<double>(size_));
    log_span_ = std::log((x0_ + static_cast<double>(size_)) / x0_);
    mult_ = static_cast<std::uint64_t>(static_cast<double>(size_) * 0.6180339887) | 1;
    while (std::gcd(mult_, size_) != 1) mult_ += 2;
    add_ = size_ / 3;
  }
  std::uint64_t draw(double u) const {
    const double x = x0_ * std::exp(u * log_span_) - x0_;
    const std::uint64_t rank = std::min<std::uint64_t>(size_ - 1, static_cast<std::uint64_t>(std::max(0.0, x)));
    const auto mixed = static_cast<std::uint64_t>((static_cast<unsigned __int128>(rank) * mult_ + add_) % size_);
    return base_ + mixed;
  }
  std::uint64_t end() const { return base_ + size_; }

 private:
  std::uint64_t base_ = 0, size_ = 1, mult_ = 1, add_ = 0;
  double x0_ = 1, log_span_ = 1;
};

// Projects: categories in contiguous index blocks, heavy-tailed popularity by
// rank inside each category, ranks scattered over the block; orgs group
// consecutive projects of a category. Ids are precomputed (a fixed catalogue).
class Catalogue {
 public:
  Catalogue(const Profile& p) : profile_(p) {
    const std::uint32_t regular = p.projects - (p.has_special && p.special.viral_project ? 1 : 0);
    // Largest remainder: category sizes sum exactly to `regular`.
    std::vector<double> exact;
    double share_total = 0;
    for (const Category& c : p.categories) share_total += c.project_share;
    std::uint32_t given = 0;
    for (const Category& c : p.categories) {
      exact.push_back(c.project_share / share_total * regular);
      sizes_.push_back(static_cast<std::uint32_t>(exact.back()));
      given += sizes_.back();
    }
    std::vector<std::size_t> order(sizes_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return exact[a] - sizes_[a] > exact[b] - sizes_[b];
    });
    for (std::size_t k = 0; given < regular; ++k, ++given) ++sizes_[order[k % order.size()]];
    std::uint32_t start = 0;
    std::vector<double> category_weights;
    for (std::size_t c = 0; c < p.categories.size(); ++c) {
      const Category& cat = p.categories[c];
      starts_.push_back(start);
      std::uint64_t mult = static_cast<std::uint64_t>(sizes_[c] * 0.6180339887) | 1;
      while (sizes_[c] > 0 && std::gcd<std::uint64_t>(mult, sizes_[c]) != 1) mult += 2;
      mults_.push_back(mult);
      std::vector<double> w(std::max<std::uint32_t>(1, sizes_[c]));
      for (std::size_t r = 0; r < w.size(); ++r) w[r] = std::pow(static_cast<double>(r) + cat.zipf_offset, -cat.zipf_alpha);
      ranks_.emplace_back(w);
      category_weights.push_back(sizes_[c] > 0 ? cat.donation_share : 0.0);
      for (std::uint32_t i = 0; i < sizes_[c]; ++i) category_of_.push_back(static_cast<std::uint8_t>(c));
      start += sizes_[c];
    }
    categories_ = AliasTable(category_weights);
    if (regular < p.projects) {
      viral_ = regular;
      category_of_.push_back(static_cast<std::uint8_t>(p.special.viral_category));
    }
    // Ids: prefix-NNNNN with the project's index.
    std::size_t width = 5;
    for (std::uint32_t n = p.projects; n >= 100000; n /= 10) ++width;
    offsets_.push_back(0);
    for (std::uint32_t i = 0; i < p.projects; ++i) {
      std::string id;
      if (i == viral_) {
        id = p.special.viral_id;
      } else {
        id = p.categories[category_of_[i]].prefix + '-';
        std::string digits = std::to_string(i);
        id.append(width - std::min(width, digits.size()), '0');
        id += digits;
      }
      ids_.insert(ids_.end(), id.begin(), id.end());
      offsets_.push_back(static_cast<std::uint32_t>(ids_.size()));
    }
  }

  std::uint32_t size() const { return profile_.projects; }
  std::size_t category_count() const { return sizes_.size(); }
  std::uint32_t category_size(std::size_t c) const { return sizes_[c]; }
  std::uint8_t category_of(std::uint32_t project) const { return category_of_[project]; }
  std::uint32_t viral() const { return viral_; }
  std::uint32_t project_of(std::size_t c, std::uint32_t rank) const {
    const std::uint64_t n = sizes_[c];
    return starts_[c] + static_cast<std::uint32_t>((rank * mults_[c] + n / 3) % n);
  }
  std::string_view id(std::uint32_t project) const {
    return {ids_.data() + offsets_[project], offsets_[project + 1] - offsets_[project]};
  }
  // A category by donation share, then a project by popularity within it.
  std::uint32_t draw_category(std::uint64_t r) const { return categories_.sample(r); }
  std::uint32_t draw_project(std::size_t c, std::uint64_t r) const { return project_of(c, ranks_[c].sample(r)); }

  std::size_t bytes() const {
    std::size_t b = ids_.size() + offsets_.size() * 4 + category_of_.size() + categories_.bytes();
    for (const auto& t : ranks_) b += t.bytes();
    return b;
  }

  // project,category,org. Orgs group 1 to dozens of consecutive projects of a
  // category (heavy-tailed sizes), or one org per project.
  void write(AtomicOutput& out) const {
    out.write("project,category,org\n");
    Rng rng(kCatalogueSeed, 1);
    std::uint32_t org = 0, left = 0;
    int last_category = -1;
    for (std::uint32_t i = 0; i < size(); ++i) {
      const int category = category_of_[i];
      if (profile_.org_per_project || i == viral_ || left == 0 || category != last_category) {
        ++org;
        // Sizes 1, 2, ... with a Pareto(1.5) tail, about orgs_mean_projects on average.
        const double extra = (profile_.orgs_mean_projects - 0.5) * (std::pow(1 - rng.uniform(), -1 / 1.5) - 1) / 2;
        left = 1 + static_cast<std::uint32_t>(std::min(199.0, extra));
        if (profile_.org_per_project || i == viral_) left = 1;
      }
      --left;
      last_category = category;
      std::string& b = out.buffer();
      b.append(id(i));
      b += ',';
      b += profile_.categories[category].name;
      b += ",org-";
      char digits[16];
      auto end = std::to_chars(digits, digits + sizeof digits, org).ptr;
      b.append(5 - std::min<std::size_t>(5, end - digits), '0');
      b.append(digits, end);
      b += '\n';
      out.maybe_flush();
    }
  }

 private:
  const Profile& profile_;
  std::vector<std::uint32_t> sizes_, starts_;
  std::vector<std::uint64_t> mults_;
  std::vector<AliasTable> ranks_;
  AliasTable categories_;
  std::vector<std::uint8_t> category_of_;
  std::uint32_t viral_ = 0xFFFFFFFFu;
  std::vector<char> ids_;
  std::vector<std::uint32_t> offsets_;
};

// Bot-like accounts: each makes one burst of at least min_burst donations,
// 1.5 to 8 seconds apart (more than 5 a minute), of one small amount to one
// project. Burst starts follow the regular rhythm.
struct BotSession {
  std::int64_t next_ms;
  std::uint64_t donor;
  Minor amount;
  std::uint32_t project;
  std::uint32_t left;
  std::uint64_t serial;  // start order, breaks ties
  bool operator>(const BotSession& o) const { return next_ms != o.next_ms ? next_ms > o.next_ms : serial > o.serial; }
};

class Generator {
 public:
  Generator(const Profile& p, double scale, std::uint64_t seed)
      : p_(p), scale_(scale), seed_(seed), catalogue_(p), late_(seed, kTagLate) {
    offset_ms_ = static_cast<std::int64_t>(p.utc_offset_minutes) * 60'000;
    event_local_day_ = days_from_civil(p.year, static_cast<unsigned>(p.month), static_cast<unsigned>(p.day));
    start_ms_ = event_local_day_ * kMsPerDay - offset_ms_;
    offset_text_ = offset_text(p.utc_offset_minutes);

    // Row counts: exact, fixed before any row is drawn.
    const auto rows_total = static_cast<std::uint64_t>(std::llround(p.donations * scale));
    special_rows_ = p.has_special ? static_cast<std::uint64_t>(std::llround(p.special.donations * scale)) : 0;
    plan_bots();
    if (special_rows_ + bot_rows_ > rows_total) {  // only at absurdly small scales
      special_rows_ = std::min(special_rows_, rows_total);
      bot_sessions_ = 0;
      bot_rows_ = 0;
    }
    regular_rows_ = rows_total - special_rows_ - bot_rows_;

    // Channels, by name across the streams.
    for (const Channel& c : p.channels) regular_channel_.push_back(channel_index(c.name));
    if (p.has_special)
      for (const Channel& c : p.special.channels) special_channel_.push_back(channel_index(c.name));
    bot_channel_ = regular_channel_.front();
    std::vector<double> w;
    for (const Channel& c : p.channels) w.push_back(c.share);
    channels_ = AliasTable(w);
    if (p.has_special) {
      w.clear();
      for (const Channel& c : p.special.channels) w.push_back(c.share);
      special_channels_ = AliasTable(w);
    }

    // Amounts: the regular table's tail is solved so that the whole stream
    // donates p.donated * scale (the other streams' expected sums subtracted).
    small_ = QuantileTable(p.small_amounts);
    double small_share = 0;
    for (const Channel& c : p.channels)
      if (c.small_amounts) small_share += c.share;
    double channel_total = 0;
    for (const Channel& c : p.channels) channel_total += c.share;
    small_share /= channel_total;
    double special_sum = 0;
    if (p.has_special && special_rows_ > 0) {
      special_amounts_ = QuantileTable::with_mean(p.special.amounts, p.special.amount_tail,
                                                  p.special.donated * 100 * scale / static_cast<double>(special_rows_));
      special_sum = special_amounts_.mean() * static_cast<double>(special_rows_);
    }
    const double bot_sum = bot_mean_amount() * static_cast<double>(bot_rows_);
    const double main_rows = static_cast<double>(regular_rows_) * (1 - small_share);
    const double main_sum = p.donated * 100 * scale - special_sum - bot_sum -
                            small_.mean() * static_cast<double>(regular_rows_) * small_share;
    main_ = QuantileTable::with_mean(p.amounts, p.amount_tail, main_rows > 0 ? main_sum / main_rows : 100.0);
    big_amount_ = p.big_amount;
    deficit_share_.resize(p.categories.size());
    double share_total = 0;
    for (const Category& c : p.categories) share_total += c.donation_share;
    for (std::size_t c = 0; c < p.categories.size(); ++c) deficit_share_[c] = p.categories[c].donation_share / share_total;
    deficit_.assign(p.categories.size(), 0.0);

    // Donors: regular pool, the special stream's own pool, then the bots.
    regular_donors_ = DonorPool(0, static_cast<std::uint64_t>(std::llround(p.donor_pool * scale)), p.donor_offset);
    special_donors_ = DonorPool(regular_donors_.end(),
                                p.has_special ? static_cast<std::uint64_t>(std::llround(p.special.donor_pool * scale)) : 1,
                                p.has_special ? p.special.donor_offset : 1.0);
    bot_donor_base_ = special_donors_.end();

    // The special stream's projects.
    if (p.has_special) {
      if (p.special.viral_project) {
        special_projects_.push_back(catalogue_.viral());
        special_project_table_ = AliasTable({1.0});
      } else {
        std::vector<double> weights;
        for (std::size_t c = 0; c < catalogue_.category_count(); ++c) {
          const std::uint32_t top = std::min<std::uint32_t>(p.special.top_per_category, catalogue_.category_size(c));
          double norm = 0;
          for (std::uint32_t r = 0; r < top; ++r) norm += std::pow(r + 1.0, -p.special.top_alpha);
          for (std::uint32_t r = 0; r < top; ++r) {
            special_projects_.push_back(catalogue_.project_of(c, r));
            weights.push_back(p.categories[c].donation_share * std::pow(r + 1.0, -p.special.top_alpha) / norm);
          }
        }
        special_project_table_ = AliasTable(weights);
      }
    }

    // Clocks.
    shape_density_ = std::make_unique<ShapeDensity>(p.shape, p.days);
    const ShapeDensity* shape = shape_density_.get();
    const auto slice = static_cast<std::int64_t>(p.slice_ms);
    const std::int64_t slices = p.days * kMsPerDay / slice;
    regular_clock_ = SliceClock(start_ms_, slice, slices, regular_rows_, [shape](std::int64_t t) { return (*shape)(t); },
                                Rng(seed, kTagRegularClock));
    // Bursts start early enough to end inside the event: a burst has at most
    // min_burst + 40 extra donations (+ a few from the exact-total nudging).
    const auto longest_burst_ms = static_cast<std::int64_t>((p.bots.min_burst + 45) * p.bots.max_gap_s * 1000);
    const std::int64_t bot_slices = std::max<std::int64_t>(1, (p.days * kMsPerDay - longest_burst_ms) / slice);
    bot_clock_ = SliceClock(start_ms_, slice, bot_slices, bot_sessions_, [shape](std::int64_t t) { return (*shape)(t); },
                            Rng(seed, kTagBotClock));
    if (p.has_special) {
      const SpecialStream& s = p.special;
      const auto sslice = static_cast<std::int64_t>(s.slice_ms);
      const auto duration_ms = static_cast<std::int64_t>(s.duration_hours * 3'600'000);
      const double k = s.gamma_k, theta_ms = s.gamma_theta_hours * 3'600'000;
      special_clock_ = SliceClock(start_ms_ + static_cast<std::int64_t>(s.start_hours * 3'600'000), sslice,
                                  duration_ms / sslice, special_rows_,
                                  [k, theta_ms](std::int64_t t) {
                                    const double x = static_cast<double>(t) / theta_ms;
                                    return std::pow(x, k - 1) * std::exp(-x);
                                  },
                                  Rng(seed, kTagSpecialClock));
    }
    weyl_main_ = Weyl(counter_hash(seed, kTagWeylMain, 0), counter_hash(seed, kTagWeylMain, 1));
    weyl_small_ = Weyl(counter_hash(seed, kTagWeylSmall, 0), counter_hash(seed, kTagWeylSmall, 1));
    weyl_special_ = Weyl(counter_hash(seed, kTagWeylSpecial, 0), counter_hash(seed, kTagWeylSpecial, 1));
    std::vector<BotSession> storage;
    storage.reserve(kMaxBotSessions);
    sessions_ = std::priority_queue<BotSession, std::vector<BotSession>, std::greater<>>(std::greater<>(),
                                                                                        std::move(storage));

    // Statistics.
    stats_.rows_by_category.assign(p.categories.size(), 0);
    stats_.donated_by_category.assign(p.categories.size(), 0);
    stats_.rows_by_channel.assign(channel_names_.size(), 0);
    stats_.rows_by_day.assign(p.days, 0);
    stats_.donated_by_day.assign(p.days, 0);
    stats_.rows_by_project.assign(p.projects, 0);
    probe_from_ms_ = start_ms_ + p.probe.day * kMsPerDay + static_cast<std::int64_t>(p.probe.from_hours * 3'600'000);
    probe_to_ms_ = start_ms_ + p.probe.day * kMsPerDay + static_cast<std::int64_t>(p.probe.to_hours * 3'600'000);

    // Ids: d + zero-padded arrival number.
    std::size_t width = 7;
    for (std::uint64_t n = rows_total; n >= 10'000'000; n /= 10) ++width;
    id_[0] = 'd';
    std::memset(id_ + 1, '0', width);
    id_len_ = width + 1;
  }

  const Catalogue& catalogue() const { return catalogue_; }
  std::uint64_t rows_total() const { return regular_rows_ + special_rows_ + bot_rows_; }

  RulesContext rules_context() const {
    RulesContext ctx;
    ctx.scale = scale_;
    ctx.seed = seed_;
    ctx.project_id = [this](int c, std::uint32_t rank) {
      return std::string(catalogue_.id(catalogue_.project_of(static_cast<std::size_t>(c), rank)));
    };
    for (std::size_t c = 0; c < catalogue_.category_count(); ++c) ctx.category_sizes.push_back(catalogue_.category_size(c));
    if (catalogue_.viral() != 0xFFFFFFFFu) ctx.viral_id = std::string(catalogue_.id(catalogue_.viral()));
    return ctx;
  }

  // Writes the header and every row; returns the bytes written.
  std::uint64_t write_donations(AtomicOutput& out) {
    out.write("id,time,donor,project,amount,channel\n");
    std::uint64_t bytes = 37;
    Row heads[3];
    bool has[3] = {next_regular(heads[0]), next_special(heads[1]), next_bot(heads[2])};
    std::int64_t latest = std::numeric_limits<std::int64_t>::min();
    stats_.first_ms = std::numeric_limits<std::int64_t>::max();
    stats_.last_ms = std::numeric_limits<std::int64_t>::min();
    stats_.special_first_ms = std::numeric_limits<std::int64_t>::max();
    stats_.special_last_ms = std::numeric_limits<std::int64_t>::min();
    for (;;) {
      int pick = -1;
      for (int s = 0; s < 3; ++s)
        if (has[s] && (pick < 0 || heads[s].ms < heads[pick].ms)) pick = s;
      if (pick < 0) break;
      Row row = heads[pick];
      switch (pick) {
        case 0: has[0] = next_regular(heads[0]); break;
        case 1: has[1] = next_special(heads[1]); break;
        default: has[2] = next_bot(heads[2]); break;
      }
      // A few rows reach the platform late: written with a time up to 3 s
      // before the rows around them (file order is arrival order).
      if (late_.uniform() < p_.late_share) row.ms = std::max(start_ms_, row.ms - 100 - static_cast<std::int64_t>(late_.below(2900)));
      if (row.ms < latest) ++stats_.out_of_order;
      latest = std::max(latest, row.ms);
      count(row);
      bytes += format(row, out.buffer());
      out.maybe_flush();
    }
    peak_buffered_rows_ = 3 + peak_sessions_;
    return bytes;
  }

  Stats& stats() { return stats_; }
  std::size_t peak_buffered_rows() const { return peak_buffered_rows_; }
  std::size_t state_bytes() const {
    return sizeof(*this) + catalogue_.bytes() + main_.bytes() + small_.bytes() + special_amounts_.bytes() +
           channels_.bytes() + special_channels_.bytes() + special_project_table_.bytes() +
           special_projects_.size() * 4 + kMaxBotSessions * sizeof(BotSession) + stats_.donors.bytes() +
           stats_.rows_by_project.size() * 8 + (stats_.rows_by_category.size() + stats_.rows_by_day.size()) * 16;
  }

 private:
  std::uint8_t channel_index(const std::string& name) {
    auto it = std::find(channel_names_.begin(), channel_names_.end(), name);
    if (it != channel_names_.end()) return static_cast<std::uint8_t>(it - channel_names_.begin());
    channel_names_.push_back(name);
    return static_cast<std::uint8_t>(channel_names_.size() - 1);
  }

  // Burst sizes: min_burst plus a geometric extra, the extras then scaled by
  // error diffusion so that the sizes sum exactly to the target.
  void plan_bots() {
    const Bots& b = p_.bots;
    bot_sessions_ = static_cast<std::uint64_t>(std::llround(b.accounts * scale_));
    const auto target = static_cast<std::uint64_t>(std::llround(b.donations * scale_));
    const auto floor_rows = bot_sessions_ * static_cast<std::uint64_t>(b.min_burst);
    if (bot_sessions_ == 0 || target < floor_rows) {
      bot_sessions_ = 0;
      bot_rows_ = 0;
      return;
    }
    const double extra_mean = b.donations / b.accounts - b.min_burst;
    bot_q_ = extra_mean / (1 + extra_mean);  // geometric on {0, 1, ...}: P(extra > k) = q^(k+1)
    bot_extra_sum_ = 0;
    for (std::uint64_t i = 0; i < bot_sessions_; ++i) bot_extra_sum_ += base_extra(i);
    bot_extra_target_ = target - floor_rows;
    if (bot_extra_sum_ == 0) bot_extra_target_ = 0;
    bot_rows_ = floor_rows + bot_extra_target_;
  }
  std::uint64_t base_extra(std::uint64_t i) const {
    const double u = to_unit(counter_hash(seed_, kTagBotSizes, i));
    return bot_q_ > 0 ? std::min<std::uint64_t>(40, static_cast<std::uint64_t>(std::log1p(-u) / std::log(bot_q_))) : 0;
  }
  // The size of burst i; called for i = 0, 1, ... in order.
  std::uint32_t next_burst_size(std::uint64_t i) {
    auto scaled_prefix = [&](std::uint64_t prefix) {
      return static_cast<std::uint64_t>(static_cast<unsigned __int128>(prefix) * bot_extra_target_ / bot_extra_sum_);
    };
    const std::uint64_t before = bot_extra_sum_ ? scaled_prefix(bot_extra_prefix_) : 0;
    bot_extra_prefix_ += base_extra(i);
    const std::uint64_t after = bot_extra_sum_ ? scaled_prefix(bot_extra_prefix_) : 0;
    return static_cast<std::uint32_t>(p_.bots.min_burst + (after - before));
  }
  // Bot amounts: mostly 1.00, some 0.01 to 10.00.
  static constexpr Minor kBotAmounts[] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
                                          1,   1,   10,  200, 200, 500, 500, 500, 1000};
  static double bot_mean_amount() {
    double s = 0;
    for (Minor a : kBotAmounts) s += static_cast<double>(a);
    return s / std::size(kBotAmounts);
  }

  bool next_regular(Row& row) {
    if (!regular_clock_.next(row.ms)) return false;
    Rng& r = regular_rng_;
    const std::uint32_t ch = channels_.sample(r.next());
    row.channel = regular_channel_[ch];
    row.amount = p_.channels[ch].small_amounts ? small_.at(weyl_small_.next()) : main_.at(weyl_main_.next());
    std::uint32_t category;
    if (row.amount >= big_amount_) {
      // Large amounts go where the category's share of large money is most
      // behind, so category shares of the money hold at any scale.
      big_total_ += static_cast<double>(row.amount);
      category = 0;
      double best = -1e300;
      for (std::size_t c = 0; c < deficit_.size(); ++c) {
        const double behind = deficit_share_[c] * big_total_ - deficit_[c];
        if (behind > best && catalogue_.category_size(c) > 0) best = behind, category = static_cast<std::uint32_t>(c);
      }
      deficit_[category] += static_cast<double>(row.amount);
    } else {
      category = catalogue_.draw_category(r.next());
    }
    row.project = catalogue_.draw_project(category, r.next());
    row.donor = regular_donors_.draw(r.uniform());
    row.kind = kRegular;
    return true;
  }

  bool next_special(Row& row) {
    if (!p_.has_special || !special_clock_.next(row.ms)) return false;
    Rng& r = special_rng_;
    row.channel = special_channel_[special_channels_.sample(r.next())];
    row.amount = special_amounts_.at(weyl_special_.next());
    row.project = special_projects_[special_project_table_.sample(r.next())];
    row.donor = r.uniform() < p_.special.from_regular_donors ? regular_donors_.draw(r.uniform())
                                                               : special_donors_.draw(r.uniform());
    row.kind = kSpecial;
    return true;
  }

  bool next_bot(Row& row) {
    for (;;) {
      if (!pending_start_ && bot_started_ < bot_sessions_) pending_start_ = bot_clock_.next(pending_ms_);
      const bool can_start = pending_start_ && sessions_.size() < kMaxBotSessions;
      if (sessions_.empty() && !can_start) return false;
      if (can_start && (sessions_.empty() || pending_ms_ <= sessions_.top().next_ms)) {
        // A new account starts its burst.
        Rng& r = bot_rng_;
        BotSession s;
        s.next_ms = pending_ms_;
        s.donor = bot_donor_base_ + bot_started_;
        s.amount = kBotAmounts[r.below(std::size(kBotAmounts))];
        const std::uint32_t category = catalogue_.draw_category(r.next());
        s.project = catalogue_.draw_project(category, r.next());
        s.left = next_burst_size(bot_started_);
        s.serial = bot_started_;
        ++bot_started_;
        pending_start_ = false;
        sessions_.push(s);
        peak_sessions_ = std::max(peak_sessions_, sessions_.size());
        ++stats_.bot_accounts;
        continue;
      }
      BotSession s = sessions_.top();
      sessions_.pop();
      if (pending_start_ && sessions_.size() + 1 >= kMaxBotSessions) pending_ms_ = std::max(pending_ms_, s.next_ms);
      row.ms = s.next_ms;
      row.donor = s.donor;
      row.amount = s.amount;
      row.project = s.project;
      row.channel = bot_channel_;
      row.kind = kBot;
      if (--s.left > 0) {
        const double gap = p_.bots.min_gap_s + (p_.bots.max_gap_s - p_.bots.min_gap_s) * bot_rng_.uniform();
        s.next_ms += static_cast<std::int64_t>(gap * 1000);
        sessions_.push(s);
      }
      return true;
    }
  }

  void count(const Row& row) {
    Stats& s = stats_;
    ++s.rows;
    s.donated += row.amount;
    ++s.rows_by_kind[row.kind];
    s.donated_by_kind[row.kind] += row.amount;
    const std::uint8_t category = catalogue_.category_of(row.project);
    ++s.rows_by_category[category];
    s.donated_by_category[category] += row.amount;
    ++s.rows_by_channel[row.channel];
    ++s.rows_by_project[row.project];
    const std::int64_t day = floor_div(row.ms - start_ms_, kMsPerDay);
    if (day >= 0 && day < p_.days) {
      ++s.rows_by_day[day];
      s.donated_by_day[day] += row.amount;
    }
    if (row.ms >= probe_from_ms_ && row.ms < probe_to_ms_)
      s.probe_sum += p_.probe.cap > 0 ? std::min(row.amount, p_.probe.cap) : row.amount;
    s.first_ms = std::min(s.first_ms, row.ms);
    s.last_ms = std::max(s.last_ms, row.ms);
    if (row.kind == kSpecial) {
      s.special_first_ms = std::min(s.special_first_ms, row.ms);
      s.special_last_ms = std::max(s.special_last_ms, row.ms);
    }
    s.max_amount = std::max(s.max_amount, row.amount);
    s.donors.add(row.donor);
  }

  // One CSV line, appended to `out`; returns its length.
  std::size_t format(const Row& row, std::string& out) {
    char line[256];
    char* p = line;
    // id: increment the zero-padded decimal in place.
    for (std::size_t i = id_len_ - 1; i > 0; --i) {
      if (id_[i] != '9') {
        ++id_[i];
        break;
      }
      id_[i] = '0';
    }
    std::memcpy(p, id_, id_len_);
    p += id_len_;
    *p++ = ',';
    // time: local date and second cached, then milliseconds and the offset.
    const std::int64_t local = row.ms + offset_ms_;
    const std::int64_t second = floor_div(local, 1000);
    const auto millis = static_cast<int>(local - second * 1000);
    if (second != cached_second_) {
      cached_second_ = second;
      const std::int64_t day = floor_div(second, 86400);
      if (day != cached_day_) {
        cached_day_ = day;
        const CivilDate c = civil_from_days(day);
        std::snprintf(time_prefix_, sizeof time_prefix_, "%04d-%02u-%02uT", c.year, c.month, c.day);
      }
      const auto sod = static_cast<int>(second - day * 86400);
      char* t = time_prefix_ + 11;
      t[0] = static_cast<char>('0' + sod / 36000);
      t[1] = static_cast<char>('0' + sod / 3600 % 10);
      t[2] = ':';
      t[3] = static_cast<char>('0' + sod / 600 % 6);
      t[4] = static_cast<char>('0' + sod / 60 % 10);
      t[5] = ':';
      t[6] = static_cast<char>('0' + sod % 60 / 10);
      t[7] = static_cast<char>('0' + sod % 10);
    }
    std::memcpy(p, time_prefix_, 19);
    p += 19;
    *p++ = '.';
    *p++ = static_cast<char>('0' + millis / 100);
    *p++ = static_cast<char>('0' + millis / 10 % 10);
    *p++ = static_cast<char>('0' + millis % 10);
    std::memcpy(p, offset_text_.data(), 6);
    p += 6;
    *p++ = ',';
    *p++ = 'u';
    p = std::to_chars(p, p + 24, row.donor).ptr;
    *p++ = ',';
    const std::string_view project = catalogue_.id(row.project);
    std::memcpy(p, project.data(), project.size());
    p += project.size();
    *p++ = ',';
    p = std::to_chars(p, p + 24, row.amount / 100).ptr;
    if (const Minor cents = row.amount % 100; cents != 0) {
      *p++ = '.';
      *p++ = static_cast<char>('0' + cents / 10);
      if (cents % 10 != 0) *p++ = static_cast<char>('0' + cents % 10);
    }
    *p++ = ',';
    const std::string& channel = channel_names_[row.channel];
    std::memcpy(p, channel.data(), channel.size());
    p += channel.size();
    *p++ = '\n';
    const auto n = static_cast<std::size_t>(p - line);
    out.append(line, n);
    return n;
  }

  const Profile& p_;
  double scale_;
  std::uint64_t seed_;
  Catalogue catalogue_;
  Rng late_;
  Rng regular_rng_{seed_, kTagRegular}, special_rng_{seed_, kTagSpecial}, bot_rng_{seed_, kTagBot};
  std::int64_t offset_ms_ = 0, event_local_day_ = 0, start_ms_ = 0;
  std::string offset_text_;
  std::uint64_t regular_rows_ = 0, special_rows_ = 0, bot_rows_ = 0, bot_sessions_ = 0;
  double bot_q_ = 0;
  std::uint64_t bot_extra_sum_ = 0, bot_extra_target_ = 0, bot_extra_prefix_ = 0;

  std::vector<std::string> channel_names_;
  std::vector<std::uint8_t> regular_channel_, special_channel_;
  std::uint8_t bot_channel_ = 0;
  AliasTable channels_, special_channels_;
  QuantileTable main_, small_, special_amounts_;
  Weyl weyl_main_{0, 0}, weyl_small_{0, 0}, weyl_special_{0, 0};
  Minor big_amount_ = 0;
  double big_total_ = 0;
  std::vector<double> deficit_share_, deficit_;
  DonorPool regular_donors_, special_donors_;
  std::uint64_t bot_donor_base_ = 0;
  std::vector<std::uint32_t> special_projects_;
  AliasTable special_project_table_;

  std::unique_ptr<ShapeDensity> shape_density_;  // the clocks' density (they hold a pointer)
  SliceClock regular_clock_, special_clock_, bot_clock_;

  std::priority_queue<BotSession, std::vector<BotSession>, std::greater<>> sessions_;
  bool pending_start_ = false;
  std::int64_t pending_ms_ = 0;
  std::uint64_t bot_started_ = 0;
  std::size_t peak_sessions_ = 0, peak_buffered_rows_ = 0;

  Stats stats_;
  std::int64_t probe_from_ms_ = 0, probe_to_ms_ = 0;

  char id_[32] = {};
  std::size_t id_len_ = 0;
  std::int64_t cached_second_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t cached_day_ = std::numeric_limits<std::int64_t>::min();
  char time_prefix_[32] = {};
};

[[noreturn]] void usage(const std::string& message) { throw Error(ErrorKind::usage, message); }

std::string thousands(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(value));
  std::string s = buf;
  const std::size_t point = s.find('.');
  std::size_t end = point == std::string::npos ? s.size() : point;
  for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(end) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return (value < 0 ? "-" : "") + s;
}

}  // namespace

std::vector<std::string> profile_names() { return {"giving-day-2017", "giving-day-2021", "giving-tuesday"}; }

bool is_profile(std::string_view name) { return find_profile(name) != nullptr; }

Report generate(const Options& options) {
  const auto started = std::chrono::steady_clock::now();
  const Profile* profile = find_profile(options.profile);
  if (!profile) {
    std::string names;
    for (const auto& n : profile_names()) names += (names.empty() ? "" : ", ") + n;
    usage("unknown profile '" + options.profile + "' (profiles: " + names + ")");
  }
  if (!(options.scale > 0) || !(options.scale <= kMaxScale))
    usage("the scale must be a number greater than 0 and at most " + thousands(kMaxScale, 0));
  if (options.seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    usage("the seed must be an integer from 0 to 9223372036854775807");
  if (options.out_dir.empty()) usage("the option '--out' needs a non-empty value");

  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) throw Error(ErrorKind::io, "cannot create the directory '" + options.out_dir + "': " + ec.message());
  if (!fs::is_directory(options.out_dir, ec))
    throw Error(ErrorKind::io, "cannot write into '" + options.out_dir + "': not a directory");

  Generator generator(*profile, options.scale, options.seed);
  const fs::path dir(options.out_dir);
  AtomicOutput rules_out((dir / "rules.json").string());
  AtomicOutput projects_out((dir / "projects.csv").string());
  AtomicOutput donations_out((dir / "donations.csv").string());

  const RulesOut rules = profile->rules(*profile, generator.rules_context());
  rules_out.write(rules.json);
  generator.catalogue().write(projects_out);
  Report report;
  report.bytes = generator.write_donations(donations_out);
  rules_out.finish();
  projects_out.finish();
  donations_out.finish();
  rules_out.publish();
  projects_out.publish();
  donations_out.publish();

  report.profile = profile->name;
  report.scale = options.scale;
  report.seed = options.seed;
  report.rows = generator.stats().rows;
  report.projects = generator.catalogue().size();
  report.peak_buffered_rows = generator.peak_buffered_rows();
  report.state_bytes = generator.state_bytes() + 3 * (std::size_t{1} << 20);  // plus the three output buffers
  report.calibration = profile->calibrate(*profile, generator.stats(), rules, options.scale);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

std::string calibration_table(const Report& r) {
  std::vector<std::array<std::string, 5>> cells;
  cells.push_back({"figure", "published", "target", "generated", "difference"});
  for (const CalibrationRow& row : r.calibration) {
    const std::string unit = row.unit == "%" ? "%" : row.unit.empty() ? "" : " " + row.unit;
    std::string diff = "";
    if (row.compare && row.target != 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%+.2f%%", 100.0 * (row.generated - row.target) / row.target);
      diff = buf;
    }
    cells.push_back({row.figure, row.published, thousands(row.target, row.decimals) + unit,
                     thousands(row.generated, row.decimals) + unit, diff});
  }
  std::array<std::size_t, 5> width{};
  for (const auto& line : cells)
    for (std::size_t i = 0; i < 5; ++i) width[i] = std::max(width[i], line[i].size());
  std::string out;
  char head[200];
  std::snprintf(head, sizeof head, "calibration: profile %s, scale %g, seed %llu\n", r.profile.c_str(), r.scale,
                static_cast<unsigned long long>(r.seed));
  out += head;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const auto& line = cells[k];
    for (std::size_t i = 0; i < 5; ++i) {
      const bool left = i < 2;
      const std::size_t pad = width[i] - line[i].size();
      if (!left) out.append(pad, ' ');
      out += line[i];
      if (left) out.append(pad, ' ');
      out += i + 1 < 5 ? "  " : "\n";
    }
    if (k == 0) {
      for (std::size_t i = 0; i < 5; ++i) {
        out.append(width[i], '-');
        out += i + 1 < 5 ? "  " : "\n";
      }
    }
  }
  return out;
}

}  // namespace matchfund::gen
