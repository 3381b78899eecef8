// An open-addressing hash map from uint64 keys to small values: one flat
// array, linear probing, no allocation per entry. Used where keys are packed
// index pairs (donor and project, scope and day).
#pragma once

#include <cstdint>
#include <vector>

namespace matchfund {

template <class Value>
class FlatMap {
 public:
  // The value for `key`, inserting `fresh` first when the key is new.
  Value& try_emplace(std::uint64_t key, Value fresh) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Slot& s = slots_[find_slot(key)];
    if (!s.used) {
      s = {key, fresh, true};
      ++size_;
    }
    return s.value;
  }

  const Value* find(std::uint64_t key) const {
    if (slots_.empty()) return nullptr;
    const Slot& s = slots_[find_slot(key)];
    return s.used ? &s.value : nullptr;
  }
  Value* find(std::uint64_t key) {
    return const_cast<Value*>(static_cast<const FlatMap*>(this)->find(key));
  }

  std::size_t size() const { return size_; }

  // Starts loading the slot where `key` would be probed first. Always inlined:
  // out of line, GCC finds it free of side effects and deletes the calls.
  [[gnu::always_inline]] void prefetch(std::uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[mix(key) & (slots_.size() - 1)]);
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    Value value{};
    bool used = false;
  };

  static std::uint64_t mix(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
  }

  std::size_t find_slot(std::uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = mix(key) & mask;
    while (slots_[i].used && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& s : old)
      if (s.used) slots_[find_slot(s.key)] = s;
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace matchfund
