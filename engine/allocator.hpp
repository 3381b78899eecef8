// First come, first served allocation (SPEC 4). Each batch of donations goes
// through two steps: the stateless one (eligibility by project, channel, time
// and amount) runs per pool over the whole batch in tight loops; the stateful
// one (the base rate of each pool a donation can get a grant from, headrooms,
// limit, commit) runs one donation at a time in order. No allocation per
// donation; money is exact.
#pragma once

#include <bit>
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
};

class Allocator {
 public:
  static constexpr std::size_t kBatch = 256;
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

  // The keys of donation i of the most recent batch (i < kBatch).
  const DonationKeys& batch_keys(std::size_t i) const { return keys_[i]; }

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
    Minor* data = nullptr;      // a per-donation cap points at zero_ (its index is always 0)
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
    std::uint8_t prefetch[kMaxCaps] = {};  // the caps the prefetch loads
  };

  // How many donations from `begin` make the next batch: at most kBatch, all
  // on the local day of the first when caps count per day.
  std::size_t batch_length(const DonationInput& in, std::size_t begin) const;
  // The stateless step for in[begin, begin + n).
  void prepare(const DonationInput& in, std::size_t begin, std::size_t n);
  // Points pool p's cap views at its counters for the batch's day.
  void build_views(std::uint32_t p);
  // Starts loading the counters donation i of the batch will read.
  [[gnu::always_inline]] void prefetch_state(std::size_t i) const;
  // The headroom of one cap; `slot` is set to where a grant is counted: the
  // counter's dense slot, &uncounted_ when the cap counts nothing here, or null
  // when the counter has no dense slot for it yet (commit then calls add).
  Minor cap_headroom(const CompiledCap& cap, ScopedCounter& counter, std::uint32_t scope, const DonationKeys& k,
                     Minor*& slot);
  static std::uint32_t scope_of(Scope scope, const DonationKeys& k);
  // Adds (sign +1) or removes (sign -1) a grant in the pool's total and every cap counter.
  void count(std::uint32_t pool_index, const DonationKeys& k, Minor grant, int sign);
  // Counts a grant through the slots the headroom step found (one per cap, in order).
  void commit(std::uint32_t pool_index, const DonationKeys& k, const std::uint32_t* scope_index, Minor* const* slots,
              Minor grant, std::uint64_t seq);

  template <class Sink>
  bool allocate_one(std::size_t i, std::uint64_t seq, Sink& sink);

  const Plan& plan_;
  const Catalog& catalog_;
  std::vector<PoolState> states_;
  FlatMap<std::uint32_t> pairs_;  // (donor, project) -> dense index

  // Batch scratch, allocated once.
  DonationKeys keys_[kBatch];
  Micros time_of_day_[kBatch];
  const std::uint64_t* id_hash_ = nullptr;  // the batch's donation id hashes
  std::int32_t batch_day_ = 0;
  std::uint8_t eligible_[kBatch];
  // Per donation, a bit per pool it is eligible for ([word][i], pool p in bit
  // p % 64 of word p / 64), so the stateful step and its prefetch visit only
  // the pools that can grant, in try order.
  std::size_t mask_words_ = 0;
  std::vector<std::uint64_t> mask_;
  std::vector<std::uint64_t> closed_;  // [word]: pools a time condition closes for the whole batch
  // [pool]: the budget unlocked for the whole batch, or -1 when a release
  // falls inside it (releases only add, so equal ends mean no change between).
  std::vector<Minor> batch_unlocked_;
  std::vector<CapView> views_;          // [cap_begin_[pool] + cap], valid for pools with a donation in the batch
  std::vector<std::uint32_t> cap_begin_;  // [pool]
  std::vector<PoolView> pool_views_;    // [pool]
  Minor zero_ = 0;       // what per-donation caps read: they count nothing
  Minor uncounted_ = 0;  // where grants of caps that count nothing for a donation go
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

inline Minor Allocator::cap_headroom(const CompiledCap& cap, ScopedCounter& counter, std::uint32_t scope,
                                     const DonationKeys& k, Minor*& slot) {
  slot = &uncounted_;
  if (cap.scope == Scope::donation) return cap.limit;
  if (cap.scope == Scope::org && k.org == Catalog::kNoOrg) return kUnbounded;
  slot = counter.slot(scope, k.day);
  const Minor limit = cap.per_project_limits ? cap.limit_by_project[k.project] : cap.limit;
  if (limit == kNoLimit) return kUnbounded;
  const Minor used = slot ? *slot : counter.get(scope, k.day);
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

inline void Allocator::commit(std::uint32_t pool_index, const DonationKeys& k, const std::uint32_t* scope_index,
                              Minor* const* slots, Minor grant, std::uint64_t seq) {
  const CompiledPool& pool = plan_.pools()[pool_index];
  PoolState& state = states_[pool_index];
  const CapView* views = views_.data() + cap_begin_[pool_index];  // data(): views_ is empty when no pool has caps
  bool grew = false;
  for (std::size_t c = 0; c < pool.caps.size(); ++c) {
    const Minor delta = grant * views[c].grant_weight + views[c].count_weight;
    // Unsigned: &uncounted_ may take many grants (it is never read); real counters never wrap.
    if (slots[c]) {
      *slots[c] = static_cast<Minor>(static_cast<std::uint64_t>(*slots[c]) + static_cast<std::uint64_t>(delta));
    } else {
      state.counters[c].add(scope_index[static_cast<int>(pool.caps[c].scope)], k.day, delta);
      grew = true;
    }
  }
  if (grew) build_views(pool_index);  // add may have moved the arrays the views point at
  state.granted += grant;
  ++state.grants;
  if (!state.exhausted && state.granted == pool.budget) {
    state.exhausted = true;
    state.exhausted_by = seq;
  }
}

inline void Allocator::prefetch_state(std::size_t i) const {
  const DonationKeys& k = keys_[i];
  const std::uint32_t at[] = {0, k.donor, k.pair, k.project, k.org};  // by Scope
  for (std::size_t w = 0; w < mask_words_; ++w)
  for (std::uint64_t m = mask_[w * kBatch + i]; m != 0; m &= m - 1) {
    const std::size_t p = w * 64 + std::countr_zero(m);
    const PoolView& pool = pool_views_[p];
    for (std::size_t j = 0; j < pool.prefetch_count; ++j) {
      const CapView& v = views_[cap_begin_[p] + pool.prefetch[j]];
      const std::uint32_t index = at[static_cast<int>(v.scope)];
      if (index < v.size) __builtin_prefetch(v.data + index);
    }
  }
}

template <class Sink>
std::size_t Allocator::allocate(const DonationInput& in, std::uint64_t first_seq, Sink& sink) {
  for (std::size_t begin = 0, n = 0; begin < in.size; begin += n) {
    n = batch_length(in, begin);
    prepare(in, begin, n);
    constexpr std::size_t kAhead = 8;  // enough to hide a cache miss behind the work of the donations before
    for (std::size_t i = 0; i < std::min(kAhead, n); ++i) prefetch_state(i);
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) prefetch_state(i + kAhead);
      if (!allocate_one(i, first_seq + begin + i, sink)) return begin + i;
    }
  }
  return kNoError;
}

template <class Sink>
bool Allocator::allocate_one(std::size_t i, std::uint64_t seq, Sink& sink) {
  const DonationKeys& k = keys_[i];
  const std::uint32_t scope_index[] = {0, k.donor, k.pair, k.project, k.org};  // by Scope
  // The index into a cap view: no org sends org caps down the general path.
  const std::uint32_t view_index[] = {0, k.donor, k.pair, k.project,
                                      k.org == Catalog::kNoOrg ? std::numeric_limits<std::uint32_t>::max() : k.org};
  const auto& pools = plan_.pools();
  const auto& max_total_ratio = plan_.campaign().max_total_ratio;
  // floor(amount * max_total_ratio) may exceed 64 bits: compare it wide.
  const Wide total_limit = max_total_ratio ? multiply_floor(k.amount, *max_total_ratio) : 0;
  Minor granted_here = 0;
  for (std::size_t w = 0; w < mask_words_; ++w)
  for (std::uint64_t m = mask_[w * kBatch + i]; m != 0; m &= m - 1) {
    const std::uint32_t p = static_cast<std::uint32_t>(w * 64 + std::countr_zero(m));
    const CompiledPool& pool = pools[p];
    if (!pool.stack && granted_here > 0) continue;
    const Minor base = pool.rate->base(k.amount, id_hash_[i]);
    if (base == kBaseOverflow) return false;

    // Headrooms in limit order: caps, then max_total_ratio, then the pool.
    PoolState& state = states_[p];
    Minor headroom[kMaxCaps + 2];
    LimitId limit_of[kMaxCaps + 2];
    Minor* slots[kMaxCaps];
    std::size_t count = 0;
    Minor grant = base;
    const CapView* views = views_.data() + cap_begin_[p];  // data(): views_ is empty when no pool has caps
    for (std::size_t c = 0; c < pool.caps.size(); ++c) {
      const CapView& v = views[c];
      const std::uint32_t at = view_index[static_cast<int>(v.scope)];
      if (at < v.size) [[likely]] {
        slots[c] = v.data + at;
        const Minor limit = v.limit_by_project ? v.limit_by_project[k.project] : v.limit;
        const Minor used = *slots[c];
        const Minor open = v.counts_grants ? kUnbounded : limit - used;
        // Selects, not branches: whether a cap is reached is hard to predict.
        headroom[count] = limit == kNoLimit ? kUnbounded : used >= limit ? 0 : open;
      } else {
        const CompiledCap& cap = pool.caps[c];
        headroom[count] = cap_headroom(cap, state.counters[c], scope_index[static_cast<int>(cap.scope)], k, slots[c]);
      }
      limit_of[count] = pool.caps[c].limit_id;
      grant = std::min(grant, headroom[count++]);
    }
    if (max_total_ratio) {
      Wide left = total_limit - granted_here;
      headroom[count] = left > kMinorMax ? kMinorMax : static_cast<Minor>(left);
      limit_of[count] = plan_.max_total_ratio_limit();
      grant = std::min(grant, headroom[count++]);
    }
    const Minor unlocked = batch_unlocked_[p] >= 0 ? batch_unlocked_[p] : pool.unlocked(k.time);
    headroom[count] = std::max<Minor>(0, unlocked - state.granted);
    limit_of[count] = plan_.pool_limit();
    grant = std::min(grant, headroom[count++]);

    LimitId limit = kLimitNone;
    if (grant < base) {
      std::size_t h = 0;
      while (headroom[h] != grant) ++h;
      limit = limit_of[h];
    }
    if (grant > 0) commit(p, k, scope_index, slots, grant, seq);
    granted_here += grant;
    // The live path's explain keeps every limit's headroom; batch sinks skip it.
    if constexpr (requires { sink.headrooms(p, headroom, limit_of, count); })
      sink.headrooms(p, headroom, limit_of, count);
    sink.row(seq, p, base, grant, limit);
  }
  return true;
}

}  // namespace matchfund
