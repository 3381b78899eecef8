#include "engine/allocator.hpp"

#include <emmintrin.h>

#include "engine/same_day_times.hpp"
#include "engine/set_bit_positions.hpp"

namespace matchfund {
namespace {

// Bit `bit` (< 8) of bytes[0, count) (count <= 64) as one word: bit i is
// bytes[i]'s. Shifting 16-bit lanes left by 7 - bit moves each byte's bit to
// that byte's sign (a low byte's bits stop below the high byte's sign), and
// one movemask (SSE2 is part of x86-64) gives 16 donations' bits at once.
// Reads whole 16-byte groups: bytes past count up to the next multiple of 16
// must be readable; their bits are dropped.
std::uint64_t gather_byte_bit(const std::uint8_t* bytes, std::size_t count, unsigned bit) {
  const __m128i to_sign = _mm_cvtsi32_si128(static_cast<int>(7 - bit));
  std::uint64_t gathered = 0;
  for (std::size_t i = 0; i < count; i += 16) {
    const __m128i v = _mm_sll_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i)), to_sign);
    gathered |= static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(v))) << i;
  }
  return count == 64 ? gathered : gathered & ((std::uint64_t{1} << count) - 1);
}

// Starts loading elements [begin, begin + count) of an array.
template <class T>
void prefetch_range(const T* data, std::size_t begin, std::size_t count) {
  constexpr std::size_t kLine = 64;
  const char* from = reinterpret_cast<const char*>(data + begin);
  const char* to = reinterpret_cast<const char*>(data + begin + count);
  for (const char* line = from; line < to; line += kLine) __builtin_prefetch(line);
}

}  // namespace

void Allocator::prefetch_columns(const DonationInput& in, std::size_t begin, std::size_t count) {
  prefetch_range(in.time, begin, count);
  prefetch_range(in.amount, begin, count);
  prefetch_range(in.donor, begin, count);
  prefetch_range(in.project, begin, count);
  prefetch_range(in.channel, begin, count);
  prefetch_range(in.id_hash, begin, count);
}

Allocator::Allocator(const Plan& plan, const Catalog& catalog) : plan_(plan), catalog_(catalog) {
  for (const CompiledPool& pool : plan.pools()) {
    PoolState state;
    // A counter never passes its cap's limit (a grant is at most the headroom),
    // so a pool whose caps all have one limit within int32 counts in int32:
    // half the memory to clear and keep in cache. Per-donation caps count nothing.
    state.narrow = std::all_of(pool.caps.begin(), pool.caps.end(), [](const CompiledCap& cap) {
      return cap.scope == Scope::donation ||
             (!cap.per_project_limits && cap.limit >= 0 && cap.limit <= std::numeric_limits<std::int32_t>::max());
    });
    state.plain = std::all_of(pool.caps.begin(), pool.caps.end(), [](const CompiledCap& cap) {
      return !cap.counts_grants && !cap.per_project_limits && cap.limit != kNoLimit;
    });
    for (const CompiledCap& cap : pool.caps) {
      state.counters.emplace_back(cap.period, state.narrow);
      std::uint32_t scopes = cap.scope == Scope::donor     ? catalog.donors.size()
                             : cap.scope == Scope::project ? catalog.projects.size()
                             : cap.scope == Scope::org     ? catalog.orgs.size()
                                                           : 0;
      state.counters.back().reserve(scopes);
    }
    states_.push_back(std::move(state));
    PerDonation per_donation;
    if (!pool.caps.empty() && pool.caps[0].scope == Scope::donation) {
      per_donation.first_counted = 1;
      per_donation.room = pool.caps[0].limit == kNoLimit ? kUnbounded : pool.caps[0].limit;
      per_donation.limit_id = pool.caps[0].limit_id;
    }
    per_donation_.push_back(per_donation);
    // An amount cap with one limit bounds every grant (a donation without an
    // org has no org cap; a per-donation cap's limit is its room).
    Minor grant_most = kUnbounded;
    for (const CompiledCap& cap : pool.caps)
      if (!cap.counts_grants && !cap.per_project_limits && cap.limit != kNoLimit && cap.scope != Scope::org)
        grant_most = std::min(grant_most, cap.limit);
    grant_most_.push_back(grant_most);
    const std::optional<Ratio> most = pool.rate->most_ratio();
    const auto& total = plan.campaign().max_total_ratio;
    rate_within_total_.push_back(total && most && most->micros <= total->micros);
    cap_begin_.push_back(static_cast<std::uint32_t>(views_.size()));
    views_.resize(views_.size() + pool.caps.size());
  }
  pool_views_.resize(plan.pools().size());
  mask_words_ = plan.mask_words();
  mask_.resize(mask_words_ * kBatch);
  closed_.resize(mask_words_);
  batch_unlocked_.resize(plan.pools().size());
  scope_source_[static_cast<int>(Scope::donor_project)] = pair_index_;
  scope_source_[static_cast<int>(Scope::org)] = org_index_;
  for (const CompiledPool& pool : plan.pools())
    for (const CompiledCap& cap : pool.caps) needs_orgs_ |= cap.scope == Scope::org;
  const std::size_t pools = plan.pools().size();
  present_.reserve(pools);
  list_size_.resize(pools);
  lists_.resize(pools);
  tried_.resize(pools);
  emitted_.resize(pools);
}

void Allocator::expect_donors(std::uint32_t donors) {
  for (std::size_t p = 0; p < plan_.pools().size(); ++p) {
    const CompiledPool& pool = plan_.pools()[p];
    for (std::size_t c = 0; c < pool.caps.size(); ++c)
      if (pool.caps[c].scope == Scope::donor) states_[p].counters[c].reserve(donors);
  }
}

std::size_t Allocator::start_batch(const DonationInput& in, std::size_t begin) {
  const std::size_t most = std::min(kBatch, in.size - begin);
  const Micros offset = plan_.campaign().utc_offset;
  const Micros* time = in.time + begin;
  Micros min_time = time[0], max_time = time[0];
  if (!plan_.needs_days()) {
    batch_day_ = 0;
    for (std::size_t i = 0; i < most; ++i) {
      time_of_day_[i] = local_time_of_day(time[i], offset);
      min_time = std::min(min_time, time[i]);
      max_time = std::max(max_time, time[i]);
    }
    batch_min_time_ = min_time;
    batch_max_time_ = max_time;
    return most;
  }
  // One local day per batch, so a day counter is one array for the whole
  // batch, and each time of day is a subtraction.
  batch_day_ = static_cast<std::int32_t>(local_day(time[0], offset));
  const Micros midnight = static_cast<Micros>(batch_day_) * kMicrosPerDay - offset;  // UTC
  auto other_day = [&](std::size_t i) {
    time_of_day_[i] = time[i] - midnight;
    return static_cast<std::uint64_t>(time_of_day_[i]) >= static_cast<std::uint64_t>(kMicrosPerDay);
  };
  // Whole blocks first (vector code), then donation by donation up to the
  // first on another day. A time below the one before marks the batch out
  // of order; in order, its first and last times are its earliest and latest.
  time_of_day_[0] = time[0] - midnight;
  bool backwards = false;
  std::size_t n = same_day_blocks(time, 1, most, midnight, time_of_day_, backwards);
  bool in_order = !backwards;
  for (; n < most && !other_day(n); ++n) in_order &= time[n] >= time[n - 1];
  if (in_order) {
    min_time = time[0];
    max_time = time[n - 1];
  } else {
    for (std::size_t i = 1; i < n; ++i) {
      min_time = std::min(min_time, time[i]);
      max_time = std::max(max_time, time[i]);
    }
  }
  batch_min_time_ = min_time;
  batch_max_time_ = max_time;
  return n;
}

void Allocator::prepare(const DonationInput& in, std::size_t begin, std::size_t n) {
  const Micros offset = plan_.campaign().utc_offset;
  const Micros min_time = batch_min_time_, max_time = batch_max_time_;
  // The next batch's columns, loaded while this one is worked on, so that
  // the first pass over each column waits less on memory.
  prefetch_columns(in, begin + n, std::min(kBatch, in.size - begin - n));
  batch_ = in;
  batch_.size = n;
  for (auto* column : {&batch_.donor, &batch_.project, &batch_.channel}) *column += begin;
  batch_.time += begin;
  batch_.amount += begin;
  batch_.id_hash += begin;
  std::fill_n(granted_here_, n, 0);
  if (needs_orgs_)
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t org = catalog_.project_org[batch_.project[i]];
      org_index_[i] = org == Catalog::kNoOrg ? std::numeric_limits<std::uint32_t>::max() : org;
    }
  scope_source_[static_cast<int>(Scope::donor)] = batch_.donor;
  scope_source_[static_cast<int>(Scope::project)] = batch_.project;
  if (plan_.needs_pairs()) {
    // Random probes into a large map: start loading each slot a few donations ahead.
    constexpr std::size_t kAhead = 8;
    auto key = [this](std::size_t i) {
      return (static_cast<std::uint64_t>(batch_.donor[i]) << 32) | batch_.project[i];
    };
    for (std::size_t i = 0; i < std::min(kAhead, n); ++i) pairs_.prefetch(key(i));
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) pairs_.prefetch(key(i + kAhead));
      pair_index_[i] = pairs_.try_emplace(key(i), static_cast<std::uint32_t>(pairs_.size()));
    }
  }
  DonationBatch batch;
  batch.size = n;
  batch.min_time = min_time;
  batch.max_time = max_time;
  batch.utc_offset = offset;
  batch.time = batch_.time;
  batch.time_of_day = time_of_day_;
  batch.amount = batch_.amount;
  batch.id_hash = batch_.id_hash;

  // Project and channel conditions: one lookup per donation covers every pool.
  // The tables and their stride are locals: the mask stores could alias them in place.
  const std::uint64_t* by_project = plan_.project_pools(0);
  const std::uint64_t* by_channel = plan_.channel_pools(0);
  const std::size_t words = mask_words_;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t* mask = &mask_[w * kBatch];
    if (words == 1)  // the common case (at most 64 pools): no multiplication per donation
      for (std::size_t i = 0; i < n; ++i) mask[i] = by_project[batch_.project[i]] & by_channel[batch_.channel[i]];
    else
      for (std::size_t i = 0; i < n; ++i)
        mask[i] = by_project[batch_.project[i] * words + w] & by_channel[batch_.channel[i] * words + w];
  }
  // Time and amount conditions, pool by pool; a time condition classifies the
  // whole batch first, so a closed pool costs nothing per donation.
  const auto& pools = plan_.pools();
  std::fill(closed_.begin(), closed_.end(), 0);
  for (std::uint32_t p = 0; p < pools.size(); ++p) {
    std::uint64_t* mask = &mask_[p / 64 * kBatch];
    const unsigned bit = p % 64;
    bool closed = false;
    std::size_t look = 0;
    const Condition* to_look[kMaxCaps];  // a pool has at most one condition of each registered kind
    for (const Condition* condition : pools[p].donation_conditions) {
      const Condition::Verdict verdict = condition->classify(batch);
      closed |= verdict == Condition::Verdict::none_pass;
      if (verdict == Condition::Verdict::look) to_look[look++] = condition;
    }
    if (closed) {
      closed_[p / 64] |= std::uint64_t{1} << bit;
      continue;
    }
    for (std::size_t c = 0; c < look; ++c) to_look[c]->filter(batch, mask, bit);
  }
  // The pools some donation of the batch is eligible for: their unlocked
  // budgets, views, lists of donations and bases.
  present_.clear();
  base_overflow_ = false;
  for (std::size_t w = 0; w < mask_words_; ++w) {
    std::uint64_t* mask = &mask_[w * kBatch];
    std::uint64_t present = 0;
    for (std::size_t i = 0; i < n; ++i) {
      mask[i] &= ~closed_[w];
      present |= mask[i];
    }
    // Pools by byte of the mask word: each byte with a present pool is copied
    // out once (mask_byte_), then each of its pools' bits is gathered from it.
    for (std::uint64_t pending = present; pending != 0;) {
      const unsigned shift = static_cast<unsigned>(std::countr_zero(pending)) / 8 * 8;
      pending &= ~(std::uint64_t{0xFF} << shift);
      for (std::size_t i = 0; i < n; ++i) mask_byte_[i] = static_cast<std::uint8_t>(mask[i] >> shift);
      for (std::uint64_t in_byte = (present >> shift) & 0xFF; in_byte != 0; in_byte &= in_byte - 1)
        list_pool(static_cast<std::uint32_t>(w * 64 + shift + std::countr_zero(in_byte)), n, min_time, max_time, batch);
    }
  }
}

static_assert(Allocator::kBatch % 64 == 0, "gather_byte_bit reads 16-byte groups of each 64-donation block");

void Allocator::list_pool(std::uint32_t p, std::size_t n, Micros min_time, Micros max_time, const DonationBatch& batch) {
  const CompiledPool& pool = plan_.pools()[p];
  const Minor unlocked = pool.unlocked(min_time);
  batch_unlocked_[p] = unlocked == pool.unlocked(max_time) ? unlocked : -1;
  build_views(p);
  present_.push_back(p);
  // The list: the pool's bit of 64 donations gathered into one word, then its set bits.
  PoolList& list = lists_[p];
  std::size_t size = 0;
  // Room: size <= block, and index has kPrefetchAhead (>= 64) entries past kBatch.
  static_assert(kPrefetchAhead >= 64);
  for (std::size_t block = 0; block < n; block += 64)
    size += append_set_bit_positions(gather_byte_bit(mask_byte_ + block, std::min<std::size_t>(64, n - block), p % 8),
                                     static_cast<std::uint16_t>(block), list.index + size);
  list_size_[p] = static_cast<std::uint16_t>(size);
  std::fill_n(list.index + size, kPrefetchAhead, 0);
  base_overflow_ |= pool.rate->bases(batch.amount, batch.id_hash, list.index, size, list.base);
}

DonationKeys Allocator::batch_keys(std::size_t i) const {
  DonationKeys k;
  k.time = batch_.time[i];
  k.amount = batch_.amount[i];
  k.day = batch_day_;
  k.donor = batch_.donor[i];
  k.project = batch_.project[i];
  k.org = catalog_.project_org[k.project];
  k.pair = plan_.needs_pairs() ? pair_index_[i] : 0;
  return k;
}

Minor Allocator::general_headroom(std::uint32_t p, std::size_t c, std::size_t i, bool& counted) const {
  const CompiledCap& cap = plan_.pools()[p].caps[c];
  const DonationKeys k = batch_keys(i);
  return cap_headroom(cap, states_[p].counters[c], scope_of(cap.scope, k), k, counted);
}

void Allocator::general_count(std::uint32_t p, std::size_t c, std::size_t i, Minor delta) {
  const DonationKeys k = batch_keys(i);
  states_[p].counters[c].add(scope_of(plan_.pools()[p].caps[c].scope, k), k.day, delta);
}

void Allocator::build_views(std::uint32_t p) {
  const CompiledPool& pool = plan_.pools()[p];
  PoolView& pool_view = pool_views_[p];
  pool_view.prefetch_count = 0;
  const std::size_t first = per_donation_[p].first_counted;
  for (std::size_t c = first; c < pool.caps.size(); ++c) {
    const CompiledCap& cap = pool.caps[c];
    CapView& v = views_[cap_begin_[p] + c];
    v.scope = cap.scope;
    v.counts_grants = cap.counts_grants;
    v.limit = cap.limit;
    v.limit_by_project = cap.per_project_limits ? cap.limit_by_project.data() : nullptr;
    const ScopedCounter::Dense dense = states_[p].counters[c].dense_for(batch_day_);
    v.wide = dense.wide;
    v.narrow = dense.narrow;
    v.size = dense.size;
    v.grant_weight = cap.counts_grants ? 0 : 1;
    v.count_weight = cap.counts_grants ? 1 : 0;
    if (v.size >= kPrefetchFrom) pool_view.prefetch[pool_view.prefetch_count++] = static_cast<std::uint8_t>(c - first);
  }
}

void Allocator::save_marks(std::vector<PoolMarks>& out) const {
  out.resize(states_.size());
  for (std::size_t p = 0; p < states_.size(); ++p)
    out[p] = {states_[p].grants, states_[p].exhausted, states_[p].exhausted_by};
}

void Allocator::restore_marks(const std::vector<PoolMarks>& marks) {
  for (std::size_t p = 0; p < states_.size(); ++p) {
    states_[p].grants = marks[p].grants;
    states_[p].exhausted = marks[p].exhausted;
    states_[p].exhausted_by = marks[p].exhausted_by;
  }
}

void Allocator::recount(DonationKeys& k, std::uint32_t pool_index, Minor grant) {
  if (plan_.needs_pairs())
    k.pair = pairs_.try_emplace((static_cast<std::uint64_t>(k.donor) << 32) | k.project,
                                static_cast<std::uint32_t>(pairs_.size()));
  if (grant > 0) count(pool_index, k, grant, +1);
}

void Allocator::release(const DonationKeys& k, std::uint32_t pool_index, Minor grant) {
  if (grant > 0) count(pool_index, k, grant, -1);
}

}  // namespace matchfund
