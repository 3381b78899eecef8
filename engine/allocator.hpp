// First come, first served allocation (SPEC 4). Each batch of donations goes
// through two steps: the stateless one (eligibility by project, channel, time
// and amount, and each pool's base rate) runs per pool over the whole batch in
// tight loops; the stateful one (headrooms, limit, commit) runs pool by pool,
// each pool over its donations in order, and the ledger rows are then handed
// out donation by donation. No allocation per donation; money is exact.
#pragma once

#include <algorithm>
#include <bit>
#include <iterator>
#include <type_traits>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/flat_map.hpp"
#include "engine/plan.hpp"
#include "engine/scoped_counter.hpp"

namespace matchfund {

// A run of donations as a struct of arrays (a stream slice, or one live donation).
struct DonationInput {
  std::size_t size = 0;
  const Micros* time = nullptr;
  const std::uint32_t* donor = nullptr;
  const std::uint32_t* project = nullptr;
  const std::uint32_t* channel = nullptr;
  const Minor* amount = nullptr;
  const std::uint64_t* id_hash = nullptr;
};

// The scopes a donation's grants are counted in; kept by the live path so a
// release can undo exactly what a reserve added.
struct DonationKeys {
  Micros time = 0;
  Minor amount = 0;
  std::int32_t day = 0;
  std::uint32_t donor = 0, project = 0, org = 0, pair = 0;
};

struct PoolState {
  Minor granted = 0;        // held plus confirmed
  std::uint64_t grants = 0; // grants greater than 0
  bool exhausted = false;   // granted has reached the whole budget at some point
  std::uint64_t exhausted_by = 0;  // sequence number of the donation that did it
  std::vector<ScopedCounter> counters;  // one per cap, in the pool's cap order
  bool narrow = false;                  // the counters are int32 (see Allocator::Allocator)
  bool plain = false;  // every cap limits an amount by one fixed limit (see Allocator::Allocator)
};

class Allocator {
 public:
  // Donations per batch: fewer per-batch steps per donation, while the
  // per-batch scratch (about 40 KB per pool listed) stays within L2. Allocate
  // only at scale 1, side by side: 256 took 427 ms against 404 ms for 1024
  // (an older allocator); now 512, 1024 and 2048 took 221, 214 and 206 ms in
  // one run, and 2048 and 4096 took 198 and 199 ms in another.
  static constexpr std::size_t kBatch = 2048;
  static constexpr std::size_t kNoError = std::numeric_limits<std::size_t>::max();

  // `plan` and `catalog` must outlive the allocator.
  Allocator(const Plan& plan, const Catalog& catalog);

  // Allocates the donations of `in` in order. For each ledger row calls
  // sink.row(seq, pool_index, base, grant, limit) where seq = first_seq + i and
  // pool_index is the pool's place in plan.pools(). Returns kNoError, or the
  // index in `in` of the first donation whose base does not fit int64 (the rows
  // and state before it are kept; the caller treats the run as failed).
  template <class Sink>
  std::size_t allocate(const DonationInput& in, std::uint64_t first_seq, Sink& sink);

  // Sizes the per-donor counters for this many donors, for a caller that
  // interns donors while it allocates (a stream read chunk by chunk): each
  // array is then made once, and a new donor's slot is in the batch's views
  // (past them, a donation takes the general, slower path).
  void expect_donors(std::uint32_t donors);

  // The keys of donation i of the most recent batch (i < kBatch), while the
  // input given to allocate lives.
  DonationKeys batch_keys(std::size_t i) const;

  // Undoes one grant of pool `pool_index` to a donation with these keys (SPEC 6 release).
  void release(const DonationKeys& keys, std::uint32_t pool_index, Minor grant);

  const std::vector<PoolState>& pool_states() const { return states_; }

  // The live path undoes allocations it does not keep (a quote, a reserve
  // refused midway): it releases each grant, then puts the pools' marks back.
  struct PoolMarks {
    std::uint64_t grants = 0;
    bool exhausted = false;
    std::uint64_t exhausted_by = 0;
  };
  void save_marks(std::vector<PoolMarks>& out) const;
  void restore_marks(const std::vector<PoolMarks>& marks);

  // Counts a kept grant again when live state is rebuilt from a snapshot;
  // sets keys.pair, whose numbering is this allocator's.
  void recount(DonationKeys& keys, std::uint32_t pool_index, Minor grant);

 private:
  static constexpr std::size_t kMaxCaps = 16;  // a pool has at most one cap of each registered kind
  // Caps over arrays at least this long (donors, donor-project pairs) are
  // prefetched; shorter ones (projects, orgs) stay in cache anyway.
  static constexpr std::uint32_t kPrefetchFrom = 1u << 15;

  // A cap as the stateful step reads it during one batch (whose donations
  // share a local day): its counter's dense array for that day, so a
  // donation's slot is one index, with no branch on the scope or the period.
  struct CapView {
    // The counter's slots for the batch's day: one of the two is set.
    Minor* wide = nullptr;
    std::int32_t* narrow = nullptr;
    std::uint32_t size = 0;     // an index at or past it takes the general path (cap_headroom)
    Scope scope = Scope::donation;
    bool counts_grants = false;
    Minor limit = kNoLimit;
    const Minor* limit_by_project = nullptr;  // null: `limit` for every project
    Minor grant_weight = 0;     // a grant of g adds g * grant_weight + count_weight
    Minor count_weight = 0;
  };
  struct PoolView {
    std::uint8_t prefetch_count = 0;
    std::uint8_t prefetch[kMaxCaps] = {};  // the counted caps the prefetch loads (index past first_counted)
  };
  // A per-donation cap counts nothing: the kernels take it as one fixed
  // headroom, ahead of the counted caps. It can only be a pool's first cap
  // (the first in limit order, and a pool has one cap of each kind).
  struct PerDonation {
    std::uint8_t first_counted = 0;  // 1 when caps[0] is per_donation
    Minor room = kUnbounded;         // its limit; kUnbounded without one
    LimitId limit_id = kLimitNone;
  };

  // Starts the next batch at `begin`: returns how many donations it takes (at
  // most kBatch, all on the local day of the first when caps count per day)
  // and sets batch_day_, the batch's earliest and latest times and each one's local time of day.
  std::size_t start_batch(const DonationInput& in, std::size_t begin);
  // The stateless step for the batch in[begin, begin + n) that start_batch began.
  void prepare(const DonationInput& in, std::size_t begin, std::size_t n);
  // For pool p, present in the batch of n donations that prepare classified
  // (its bit gathered from mask_byte_): its unlocked budget, views, list of
  // donations and their bases.
  void list_pool(std::uint32_t p, std::size_t n, Micros min_time, Micros max_time, const DonationBatch& batch);
  // Starts loading the input columns of in[begin, begin + count).
  static void prefetch_columns(const DonationInput& in, std::size_t begin, std::size_t count);
  // Points pool p's cap views at its counters for the batch's day.
  void build_views(std::uint32_t p);
  // The headroom of one cap off its dense array; `counted` is set when a
  // grant is counted there (through ScopedCounter::add).
  static Minor cap_headroom(const CompiledCap& cap, const ScopedCounter& counter, std::uint32_t scope,
                            const DonationKeys& k, bool& counted);
  static std::uint32_t scope_of(Scope scope, const DonationKeys& k);
  // The kernels' way for cap c of pool p and donation i of the batch when its
  // scope has no slot in the batch's view (a donor new since the view was
  // built, no org): general_headroom gives the headroom and sets `counted`
  // when a grant must then be counted, which general_count does. Out of line,
  // so that the kernels' loops keep their registers for the common case.
  [[gnu::noinline, gnu::cold]] Minor general_headroom(std::uint32_t p, std::size_t c, std::size_t i,
                                                      bool& counted) const;
  [[gnu::noinline, gnu::cold]] void general_count(std::uint32_t p, std::size_t c, std::size_t i, Minor delta);
  // Adds (sign +1) or removes (sign -1) a grant in the pool's total and every cap counter.
  void count(std::uint32_t pool_index, const DonationKeys& k, Minor grant, int sign);

  // The stateful step of pool p for the donations j in [from, to) of its
  // batch list, in order; seq is the sequence number of the batch's first donation.
  template <class Sink>
  void allocate_pool(std::uint32_t p, std::size_t from, std::size_t to, std::uint64_t seq, Sink& sink);
  // allocate_pool for a pool of kCaps caps (kAnyCaps: any number) under a
  // campaign with (kTotalRatio) or without max_total_ratio, whose counters
  // are int32 (kNarrow) or int64 and whose caps are all plain (kPlain: an
  // amount under one fixed limit, so a headroom is the limit less the
  // counter), so that the common shapes run with their loops over limits
  // unrolled and no branch on a counter's width or a cap's kind.
  static constexpr std::size_t kAnyCaps = kMaxCaps + 1;
  template <std::size_t kCaps, bool kTotalRatio, bool kNarrow, bool kPlain, class Sink>
  void allocate_pool_shaped(std::uint32_t p, std::size_t from, std::size_t to, std::uint64_t seq, Sink& sink);
  // The rare batch where some eligible base does not fit int64: donation by
  // donation, so that everything before the failing donation is done and its rows handed out.
  template <class Sink>
  std::size_t allocate_in_donation_order(std::size_t n, std::uint64_t seq, Sink& sink);
  // Hands out row j of pool p's batch list, unless the pool was not tried for that donation.
  template <class Sink>
  void emit_row(std::uint32_t p, std::size_t j, std::uint64_t seq, Sink& sink) const;

  const Plan& plan_;
  const Catalog& catalog_;
  std::vector<PoolState> states_;
  FlatMap<std::uint32_t> pairs_;  // (donor, project) -> dense index

  // Batch scratch, allocated once.
  DonationInput batch_;  // the input from the batch's first donation
  bool needs_orgs_ = false;  // some cap counts per org
  Micros time_of_day_[kBatch];
  std::int32_t batch_day_ = 0;
  Micros batch_min_time_ = 0, batch_max_time_ = 0;  // the earliest and latest time in the batch
  // Per donation, a bit per pool it is eligible for ([word][i], pool p in bit
  // p % 64 of word p / 64), so the stateful step and its prefetch visit only
  // the pools that can grant, in try order.
  std::size_t mask_words_ = 0;
  std::vector<std::uint64_t> mask_;
  std::vector<std::uint64_t> closed_;  // [word]: pools a time condition closes for the whole batch
  // One byte of each donation's mask word (pools 8k to 8k + 7), for
  // gather_byte_bit, which reads it in whole 16-byte groups (kBatch is a multiple of 64).
  alignas(16) std::uint8_t mask_byte_[kBatch] = {};
  // [pool]: the budget unlocked for the whole batch, or -1 when a release
  // falls inside it (releases only add, so equal ends mean no change between).
  std::vector<Minor> batch_unlocked_;
  std::vector<CapView> views_;          // [cap_begin_[pool] + cap], valid for pools with a donation in the batch
  std::vector<std::uint32_t> cap_begin_;  // [pool]
  std::vector<PoolView> pool_views_;    // [pool]
  std::vector<PerDonation> per_donation_;  // [pool]
  std::vector<Minor> grant_most_;          // [pool]: no grant is larger (the least limit of its fixed amount caps)
  // By Scope, per donation of the batch: what a counted cap's view is indexed
  // with (donor, donor-project pair, project, org; no org is an index past
  // every view). Donors and projects are read from the input itself.
  const std::uint32_t* scope_source_[5] = {};
  std::uint32_t pair_index_[kBatch] = {};
  std::uint32_t org_index_[kBatch] = {};
  // Pool-major scratch. For each pool in present_ (the pools some donation of
  // the batch is eligible for, in try order), the donations it is tried for
  // in batch order and each one's base, grant and limit: one block per pool,
  // so that the kernel reaches all four through one register.
  static constexpr Minor kNotTried = -1;  // a grant slot of a non-stacking pool skipped for a matched donation
  // The kernels prefetch a donation's big counters this many list positions
  // ahead. 64 rather than 16: a position takes about 25 cycles, and 16 of them
  // did not always cover a miss to memory on a loaded machine (paired runs at
  // scale 1 favoured 64 by 1 to 15 %).
  static constexpr std::size_t kPrefetchAhead = 64;
  struct PoolList {
    // Past the list's end, kPrefetchAhead zeros: the kernels' prefetch reads
    // them without a bounds check (and loads donation 0's counters, which is harmless).
    std::uint16_t index[kBatch + kPrefetchAhead];
    Minor base[kBatch];
    Minor grant[kBatch];
    LimitId limit[kBatch];
  };
  std::vector<std::uint32_t> present_;
  std::vector<std::uint16_t> list_size_;  // [pool]
  std::vector<PoolList> lists_;           // [pool]
  std::vector<std::uint16_t> tried_;    // [pool]: list positions allocated (donation order only)
  std::vector<std::uint16_t> emitted_;  // [pool]: list positions whose row was handed out
  // A sink that declares kDiscardsRows (the allocate-only benchmark's) is handed no rows.
  template <class Sink>
  static constexpr bool discards_rows = requires { requires Sink::kDiscardsRows; };
  // A sink that declares the type OneDonationAtATime (the live path's, a
  // local class, which cannot hold a static constant) gets only the general
  // kernels: the shaped ones pay off over long lists, and each costs compile time.
  template <class Sink>
  static constexpr bool general_kernels_only = requires { typename Sink::OneDonationAtATime; };
  bool base_overflow_ = false;  // some listed base of the batch is kBaseOverflow
  Minor granted_here_[kBatch];  // per donation: granted so far by the pools before in try order
  // [pool]: the campaign has max_total_ratio and the pool's rate never passes
  // it, so its headroom cannot bind where no pool before granted anything.
  std::vector<std::uint8_t> rate_within_total_;
};

inline std::uint32_t Allocator::scope_of(Scope scope, const DonationKeys& k) {
  switch (scope) {
    case Scope::donor:
      return k.donor;
    case Scope::donor_project:
      return k.pair;
    case Scope::project:
      return k.project;
    case Scope::org:
      return k.org;
    case Scope::donation:
      break;
  }
  return 0;
}

inline Minor Allocator::cap_headroom(const CompiledCap& cap, const ScopedCounter& counter, std::uint32_t scope,
                                     const DonationKeys& k, bool& counted) {
  counted = false;
  if (cap.scope == Scope::donation) return cap.limit;
  if (cap.scope == Scope::org && k.org == Catalog::kNoOrg) return kUnbounded;
  counted = true;
  const Minor limit = cap.per_project_limits ? cap.limit_by_project[k.project] : cap.limit;
  if (limit == kNoLimit) return kUnbounded;
  const Minor used = counter.get(scope, k.day);
  const Minor open = cap.counts_grants ? kUnbounded : limit - used;
  return used >= limit ? 0 : open;  // selects, not branches: whether a cap is reached is hard to predict
}

inline void Allocator::count(std::uint32_t pool_index, const DonationKeys& k, Minor grant, int sign) {
  const CompiledPool& pool = plan_.pools()[pool_index];
  PoolState& state = states_[pool_index];
  for (std::size_t c = 0; c < pool.caps.size(); ++c) {
    const CompiledCap& cap = pool.caps[c];
    if (cap.scope == Scope::donation) continue;
    if (cap.scope == Scope::org && k.org == Catalog::kNoOrg) continue;
    state.counters[c].add(scope_of(cap.scope, k), k.day, sign * (cap.counts_grants ? 1 : grant));
  }
  state.granted += sign * grant;
}

template <class Sink>
std::size_t Allocator::allocate(const DonationInput& in, std::uint64_t first_seq, Sink& sink) {
  for (std::size_t begin = 0, n = 0; begin < in.size; begin += n) {
    n = start_batch(in, begin);
    prepare(in, begin, n);
    const std::uint64_t seq = first_seq + begin;
    if (base_overflow_) [[unlikely]] {
      const std::size_t failed = allocate_in_donation_order(n, seq, sink);
      if (failed != kNoError) return begin + failed;
      continue;
    }
    // Pools meet within a donation only through granted_here_ (stacking and
    // max_total_ratio), which pools read in try order: running each pool over
    // the whole batch in turn gives the same grants as donation by donation,
    // and each pool's loop has the same shape every time (its branches predict).
    for (const std::uint32_t p : present_) allocate_pool(p, 0, list_size_[p], seq, sink);
    if constexpr (discards_rows<Sink>) continue;
    std::fill(emitted_.begin(), emitted_.end(), 0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t w = 0; w < mask_words_; ++w)
        for (std::uint64_t m = mask_[w * kBatch + i]; m != 0; m &= m - 1) {
          const std::uint32_t p = static_cast<std::uint32_t>(w * 64 + std::countr_zero(m));
          emit_row(p, emitted_[p]++, seq, sink);
        }
  }
  return kNoError;
}

template <class Sink>
std::size_t Allocator::allocate_in_donation_order(std::size_t n, std::uint64_t seq, Sink& sink) {
  std::fill(tried_.begin(), tried_.end(), 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t w = 0; w < mask_words_; ++w)
      for (std::uint64_t m = mask_[w * kBatch + i]; m != 0; m &= m - 1) {
        const std::uint32_t p = static_cast<std::uint32_t>(w * 64 + std::countr_zero(m));
        const std::size_t j = tried_[p]++;
        const bool tried = plan_.pools()[p].stack || granted_here_[i] == 0;
        if (tried && lists_[p].base[j] == kBaseOverflow) return i;
        allocate_pool(p, j, j + 1, seq, sink);
        emit_row(p, j, seq, sink);
      }
  return kNoError;
}

template <class Sink>
void Allocator::emit_row(std::uint32_t p, std::size_t j, std::uint64_t seq, Sink& sink) const {
  const PoolList& list = lists_[p];
  if (list.grant[j] != kNotTried) sink.row(seq + list.index[j], p, list.base[j], list.grant[j], list.limit[j]);
}

template <class Sink>
void Allocator::allocate_pool(std::uint32_t p, std::size_t from, std::size_t to, std::uint64_t seq, Sink& sink) {
  auto run = [&]<bool kTotalRatio, bool kNarrow, bool kPlain>() {
    if constexpr (general_kernels_only<Sink>) {
      return allocate_pool_shaped<kAnyCaps, kTotalRatio, kNarrow, false>(p, from, to, seq, sink);
    } else {
      switch (plan_.pools()[p].caps.size() - per_donation_[p].first_counted) {
        case 0: return allocate_pool_shaped<0, kTotalRatio, kNarrow, kPlain>(p, from, to, seq, sink);
        case 1: return allocate_pool_shaped<1, kTotalRatio, kNarrow, kPlain>(p, from, to, seq, sink);
        case 2: return allocate_pool_shaped<2, kTotalRatio, kNarrow, kPlain>(p, from, to, seq, sink);
        case 3: return allocate_pool_shaped<3, kTotalRatio, kNarrow, kPlain>(p, from, to, seq, sink);
        default: return allocate_pool_shaped<kAnyCaps, kTotalRatio, kNarrow, kPlain>(p, from, to, seq, sink);
      }
    }
  };
  // Plain caps with limits within int32 are the common case (every platform
  // and corporate pool of the peak-day model); plain wide pools take the
  // general kernel, which keeps the number of kernels down.
  const bool total_ratio = plan_.campaign().max_total_ratio.has_value();
  const PoolState& state = states_[p];
  if (state.narrow && state.plain)
    total_ratio ? run.template operator()<true, true, true>() : run.template operator()<false, true, true>();
  else if (state.narrow)
    total_ratio ? run.template operator()<true, true, false>() : run.template operator()<false, true, false>();
  else
    total_ratio ? run.template operator()<true, false, false>() : run.template operator()<false, false, false>();
}

template <std::size_t kCaps, bool kTotalRatio, bool kNarrow, bool kPlain, class Sink>
void Allocator::allocate_pool_shaped(std::uint32_t p, std::size_t from, std::size_t to, std::uint64_t seq,
                                     Sink& sink) {
  const CompiledPool& pool = plan_.pools()[p];
  PoolState& state = states_[p];
  const PerDonation per_donation = per_donation_[p];
  const std::size_t first = per_donation.first_counted;
  const std::size_t caps = kCaps == kAnyCaps ? pool.caps.size() - first : kCaps;  // counted caps
  const PoolView& pool_view = pool_views_[p];
  PoolList& list = lists_[p];
  const Minor batch_unlocked = batch_unlocked_[p];
  // The pool's running totals and fixed fields stay in registers for the
  // whole run (stores to counters could alias them in place).
  Minor granted = state.granted;
  std::uint64_t granted_count = state.grants;
  bool exhausted = state.exhausted;
  // The total at which a grant exhausts the pool, or -1 (never) when it is
  // already exhausted or cannot grant in this run (granted is already the
  // budget); otherwise granted first reaches it by a grant above 0.
  Minor exhausts_at = exhausted || state.granted == pool.budget ? -1 : pool.budget;
  const bool stack = pool.stack;
  const LimitId total_ratio_limit = plan_.max_total_ratio_limit(), pool_limit = plan_.pool_limit();
  // Only a sink that reads every headroom (the live path's explain) has them kept.
  constexpr bool kKeepHeadrooms = requires { sink.headrooms(p, nullptr, nullptr, std::size_t{0}); };
  // Where what is left of the pool's unlocked budget covers the largest
  // possible grant for every donation of the run together, the pool's
  // headroom cannot fall below a grant, and the loop skips it: the grants then
  // no longer wait on each other through `granted`. (The live path's explain
  // reads every headroom.)
  const bool pool_can_bind = kKeepHeadrooms || batch_unlocked < 0 ||
                             Wide{batch_unlocked} - granted < Wide{grant_most_[p]} * static_cast<Wide>(to - from);
  // The first pool tried for the batch's donations (present_ is in try order)
  // follows no grant, so max_total_ratio binds there only if its rate can pass it.
  const Ratio total_ratio = kTotalRatio ? *plan_.campaign().max_total_ratio : Ratio{0};
  const bool check_total_ratio = kKeepHeadrooms || !(rate_within_total_[p] && p == present_.front());
  const Minor* amount = batch_.amount;

  // The counted caps' views (views[c] is cap first + c), copied so that the
  // loop keeps them in registers (counter writes could alias them in place);
  // copied again when a commit rebuilds them.
  CapView views[kCaps == kAnyCaps ? kMaxCaps : std::max<std::size_t>(kCaps, 1)];
  const std::uint32_t* source[std::size(views)];  // by cap: scope_source_ of its scope
  LimitId cap_limit_id[std::size(views)];
  using Count = std::conditional_t<kNarrow, std::int32_t, Minor>;
  auto slots_of = [](const CapView& v) {
    if constexpr (kNarrow)
      return v.narrow;
    else
      return v.wide;
  };
  // The prefetched caps' sources, slots and sizes, apart from the views, so
  // that the loop indexes the views only by constants (they can stay in registers).
  const std::size_t prefetch_count = pool_view.prefetch_count;
  const std::uint32_t* prefetch_source[std::size(views)] = {};
  Count* prefetch_slots[std::size(views)] = {};
  auto load_views = [&] {
    for (std::size_t c = 0; c < caps; ++c) {
      views[c] = views_[cap_begin_[p] + first + c];
      source[c] = scope_source_[static_cast<int>(views[c].scope)];
      cap_limit_id[c] = pool.caps[first + c].limit_id;
    }
    for (std::size_t k = 0; k < prefetch_count; ++k) {
      const CapView& v = views_[cap_begin_[p] + first + pool_view.prefetch[k]];
      prefetch_source[k] = scope_source_[static_cast<int>(v.scope)];
      prefetch_slots[k] = slots_of(v);
    }
  };
  load_views();
  Count uncounted = 0;  // where a cap that counts nothing for a donation adds its grant (never read)

  // Starts loading the big counters (donors, pairs) the donation at list position j will read.
  // Always inlined: out of line, GCC finds it free of side effects and deletes the calls.
  auto prefetch = [&](std::size_t j) __attribute__((always_inline)) {
    // Bounded by the cap count, so that a kernel's loop unrolls.
    for (std::size_t k = 0; k < std::size(views) && k < prefetch_count; ++k) {
      // An index past the counters (a donor new since the views were built)
      // needs no check: a prefetch never faults. The address is an integer,
      // so that no pointer past the array is formed. Locality 1 (prefetcht2):
      // with the default (prefetcht0), allocate only at scale 1 took 215 ms
      // against 205 ms, 3 rounds of 3 on an AMD EPYC.
      const std::uintptr_t at = prefetch_source[k][list.index[j]];
      __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(prefetch_slots[k]) +
                                                       at * sizeof(Count)),
                         0, 1);
    }
  };
  // Enough to hide a miss to memory behind the work of the donations before.
  for (std::size_t j = from; j < std::min(from + kPrefetchAhead, to); ++j) prefetch(j);

  for (std::size_t j = from; j < to; ++j) {
    prefetch(j + kPrefetchAhead);  // past the list's end it reads PoolList's zeros
    const std::size_t i = list.index[j];
    if (!stack && granted_here_[i] > 0) {
      list.grant[j] = kNotTried;
      continue;
    }
    const Minor base = list.base[j];

    // Headrooms in limit order: caps, then max_total_ratio, then the pool.
    // The grant is the least of the base and the headrooms; the limit is the
    // first headroom down to it, so only a strictly smaller headroom takes
    // over (selects, not branches: whether a cap binds is hard to predict).
    // None when nothing is below the base.
    Minor headroom[kKeepHeadrooms ? kMaxCaps + 2 : 1];
    LimitId limit_of[std::size(headroom)];
    std::size_t count = 0;
    Minor grant = base;
    LimitId limit = kLimitNone;
    auto consider = [&](Minor room, LimitId id) __attribute__((always_inline)) {
      limit = room < grant ? id : limit;
      grant = room < grant ? room : grant;
      if constexpr (kKeepHeadrooms) {
        headroom[count] = room;
        limit_of[count++] = id;
      }
    };
    // Where each cap counts a grant: its dense slot, &uncounted (counts nothing
    // for this donation), or null (through ScopedCounter::add).
    Count* slots[std::size(views)];
    if (!kKeepHeadrooms || first) consider(per_donation.room, per_donation.limit_id);
    for (std::size_t c = 0; c < caps; ++c) {
      const CapView& v = views[c];
      const std::uint32_t at = source[c][i];
      if (at < v.size) [[likely]] {
        slots[c] = slots_of(v) + at;
        const Minor used = *slots[c];
        if constexpr (kPlain) {
          consider(std::max<Minor>(0, v.limit - used), cap_limit_id[c]);
        } else {
          const Minor limit_here = v.limit_by_project ? v.limit_by_project[batch_.project[i]] : v.limit;
          const Minor open = v.counts_grants ? kUnbounded : limit_here - used;
          consider(limit_here == kNoLimit ? kUnbounded : used >= limit_here ? 0 : open, cap_limit_id[c]);
        }
      } else {
        bool counted = false;
        consider(general_headroom(p, first + c, i, counted), cap_limit_id[c]);
        slots[c] = counted ? nullptr : &uncounted;
      }
    }
    if constexpr (kTotalRatio) {
      if (check_total_ratio) {
        // floor(amount * max_total_ratio), saturated at 2^64 - 1. A donation's
        // grants never pass it, so what is left under it is exact in 64 bits up
        // to kMinorMax, and a saturated one leaves more than kMinorMax whatever was granted.
        const std::uint64_t left =
            multiply_floor_saturated(amount[i], total_ratio) - static_cast<std::uint64_t>(granted_here_[i]);
        consider(left > static_cast<std::uint64_t>(kMinorMax) ? kMinorMax : static_cast<Minor>(left), total_ratio_limit);
      }
    }
    if (pool_can_bind) {
      const Minor unlocked = batch_unlocked >= 0 ? batch_unlocked : pool.unlocked(batch_.time[i]);
      consider(std::max<Minor>(0, unlocked - granted), pool_limit);
    }

    // Counts the grant where the headroom step found each cap's slot, 0
    // included: whether a grant is 0 is hard to predict, and a store of an
    // unchanged value costs less than a mispredicted branch. A counter stays
    // within its limit, so a narrow one cannot overflow.
    const bool positive = grant > 0;
    bool grew = false;
    for (std::size_t c = 0; c < caps; ++c) {
      const CapView& v = views[c];
      // A plain cap sums amounts: its weights are 1 and 0.
      const Minor delta = kPlain ? grant : grant * v.grant_weight + (positive ? v.count_weight : 0);
      if (slots[c]) [[likely]] {
        *slots[c] = static_cast<Count>(*slots[c] + delta);
      } else if (positive) {
        general_count(p, first + c, i, delta);
        grew = true;
      }
    }
    if (grew) [[unlikely]] {  // add may have moved the arrays the views point at
      build_views(p);
      load_views();
    }
    granted += grant;
    granted_count += positive;
    if (granted == exhausts_at) [[unlikely]] {
      exhausted = true;
      exhausts_at = -1;
      state.exhausted_by = seq + i;
    }
    granted_here_[i] += grant;
    // The live path's explain keeps every limit's headroom; batch sinks skip it.
    if constexpr (kKeepHeadrooms) sink.headrooms(p, headroom, limit_of, count);
    list.grant[j] = grant;
    list.limit[j] = limit;
  }
  state.granted = granted;
  state.grants = granted_count;
  state.exhausted = exhausted;
}

}  // namespace matchfund
