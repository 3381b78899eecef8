#include "engine/allocator.hpp"

namespace matchfund {

Allocator::Allocator(const Plan& plan, const Catalog& catalog) : plan_(plan), catalog_(catalog) {
  for (const CompiledPool& pool : plan.pools()) {
    PoolState state;
    for (const CompiledCap& cap : pool.caps) {
      state.counters.emplace_back(cap.period);
      std::uint32_t scopes = cap.scope == Scope::donor     ? catalog.donors.size()
                             : cap.scope == Scope::project ? catalog.projects.size()
                             : cap.scope == Scope::org     ? catalog.orgs.size()
                                                           : 0;
      state.counters.back().reserve(scopes);
    }
    states_.push_back(std::move(state));
  }
  eligible_.resize(plan.pools().size() * kBatch);
  base_.resize(plan.pools().size() * kBatch);
  mask_words_ = (plan.pools().size() + 63) / 64;
  mask_.resize(mask_words_ * kBatch);
  batch_unlocked_.resize(plan.pools().size());
}

void Allocator::prepare(const DonationInput& in, std::size_t begin, std::size_t n) {
  const Micros offset = plan_.campaign().utc_offset;
  Micros min_time = in.time[begin], max_time = in.time[begin];
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = begin + i;
    DonationKeys& k = keys_[i];
    k.time = in.time[j];
    k.amount = in.amount[j];
    k.donor = in.donor[j];
    k.project = in.project[j];
    k.org = catalog_.project_org[k.project];
    k.day = plan_.needs_days() ? static_cast<std::int32_t>(local_day(k.time, offset)) : 0;
    time_of_day_[i] = local_time_of_day(k.time, offset);
    min_time = std::min(min_time, k.time);
    max_time = std::max(max_time, k.time);
  }
  if (plan_.needs_pairs()) {
    // Random probes into a large map: start loading each slot a few donations ahead.
    constexpr std::size_t kAhead = 8;
    auto key = [this](std::size_t i) { return (static_cast<std::uint64_t>(keys_[i].donor) << 32) | keys_[i].project; };
    for (std::size_t i = 0; i < std::min(kAhead, n); ++i) pairs_.prefetch(key(i));
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) pairs_.prefetch(key(i + kAhead));
      keys_[i].pair = pairs_.try_emplace(key(i), static_cast<std::uint32_t>(pairs_.size()));
    }
  }
  DonationBatch batch;
  batch.size = n;
  batch.min_time = min_time;
  batch.max_time = max_time;
  batch.utc_offset = offset;
  batch.time = in.time + begin;
  batch.time_of_day = time_of_day_;
  batch.amount = in.amount + begin;
  batch.id_hash = in.id_hash + begin;
  const auto& pools = plan_.pools();
  std::fill(mask_.begin(), mask_.end(), 0);
  for (std::uint32_t p = 0; p < pools.size(); ++p) {
    const CompiledPool& pool = pools[p];
    std::uint8_t* eligible = &eligible_[p * kBatch];
    // Time conditions first, on the whole batch: a closed pool costs nothing more.
    bool closed = false;
    std::size_t look = 0;
    const Condition* to_look[16];  // a pool has at most one condition of each registered kind
    for (const Condition* condition : pool.donation_conditions) {
      const Condition::Verdict verdict = condition->classify(batch);
      closed |= verdict == Condition::Verdict::none_pass;
      if (verdict == Condition::Verdict::look) to_look[look++] = condition;
    }
    if (closed) continue;
    std::uint8_t any = 0;
    for (std::size_t i = 0; i < n; ++i) {
      eligible[i] = pool.project_ok[in.project[begin + i]] & pool.channel_ok[in.channel[begin + i]];
      any |= eligible[i];
    }
    for (std::size_t c = 0; c < look && any; ++c) to_look[c]->filter(batch, eligible);
    if (!any) continue;
    pool.rate->compute(batch, &base_[p * kBatch]);
    const Minor unlocked = pool.unlocked(min_time);
    batch_unlocked_[p] = unlocked == pool.unlocked(max_time) ? unlocked : -1;
    std::uint64_t* mask = &mask_[p / 64 * kBatch];
    for (std::size_t i = 0; i < n; ++i) mask[i] |= std::uint64_t{eligible[i]} << (p % 64);
  }
}

void Allocator::prefetch_state(std::size_t i) const {
  const DonationKeys& k = keys_[i];
  const auto& pools = plan_.pools();
  for (std::size_t w = 0; w < mask_words_; ++w)
  for (std::uint64_t m = mask_[w * kBatch + i]; m != 0; m &= m - 1) {
    const std::size_t p = w * 64 + std::countr_zero(m);
    const auto& caps = pools[p].caps;
    for (std::size_t c = 0; c < caps.size(); ++c)
      if (caps[c].scope != Scope::donation) states_[p].counters[c].prefetch(scope_of(caps[c].scope, k), k.day);
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
