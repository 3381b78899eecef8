#include "engine/interner.hpp"

#include <cstdint>
#include <cstring>

#include "engine/huge_pages.hpp"
#include "engine/parallel_fill.hpp"

namespace matchfund {

// Loads that stay inside the string, with zeros after its end.
std::uint64_t Interner::prefix_of(std::string_view s) {
  return s.size() >= kPrefixBytes ? load_word(s.data()) : load_short(s.data(), s.size());
}

bool Interner::same_bytes(std::uint32_t index, std::string_view s) const {
  std::string_view existing = name(index);
  if (existing.size() != s.size()) return false;
  // Names of 8 to 16 bytes (project ids such as "edu-00385"): two
  // overlapping words each, no call.
  if (s.size() >= 8 && s.size() <= 16)
    return load_word(s.data()) == load_word(existing.data()) &&
           load_word(s.data() + s.size() - 8) == load_word(existing.data() + s.size() - 8);
  // memcmp of zero bytes from a null pointer is undefined.
  return s.empty() || std::memcmp(existing.data(), s.data(), s.size()) == 0;
}

std::size_t Interner::slot_of(std::string_view s, std::uint64_t hash) const {
  const std::size_t mask = table_size() - 1;
  const std::uint64_t spread = spread_of(hash);
  std::size_t i = static_cast<std::size_t>(spread) & mask;
  const std::uint32_t tag = tag_of(spread);
  if (keep_keys_) {
    const std::uint64_t prefix = prefix_of(s);
    const std::uint32_t tag_length = tag_length_of(tag, s.size());
    for (;;) {
      const KeyedSlot slot = keyed_slots_[i];
      if (slot.index == kEmpty) return i;
      if (slot.tag_length == tag_length && slot.prefix == prefix &&
          (s.size() <= kPrefixBytes || same_bytes(slot.index, s)))
        return i;
      i = (i + 1) & mask;
    }
  }
  for (;;) {
    const Slot slot = slots_[i];
    if (slot.index == kEmpty) return i;
    if (slot.tag == tag && same_bytes(slot.index, s)) return i;
    i = (i + 1) & mask;
  }
}

// Fills a fresh table of `size` slots (huge pages: it is read at random)
// with every string, in index order; fill(slot, k, spread) writes string k.
template <class Table, class Fill>
void Interner::rebuild(Table& table, std::size_t size, Fill&& fill) {
  Table fresh;
  fresh.reserve(size);
  advise_huge_pages(fresh.data(), size * sizeof(typename Table::value_type));
  typename Table::value_type empty{};
  empty.index = kEmpty;
  fresh.resize(size);
  fill_on_two_threads(fresh.data(), size, empty);
  const std::size_t mask = size - 1;
  // Each string lands at a random slot of a table bigger than the caches:
  // its slot is fetched a few strings ahead, so that misses overlap.
  constexpr std::uint32_t kAhead = 16;
  for (std::uint32_t k = 0; k < this->size(); ++k) {
    if (k + kAhead < this->size()) __builtin_prefetch(&fresh[spread_of(strings_.hash(k + kAhead)) & mask], 1);
    const std::uint64_t spread = spread_of(strings_.hash(k));
    std::size_t i = static_cast<std::size_t>(spread) & mask;
    while (fresh[i].index != kEmpty) i = (i + 1) & mask;
    fill(fresh[i], k, spread);
  }
  table = std::move(fresh);
}

void Interner::grow(std::size_t size) {
  if (keep_keys_)
    rebuild(keyed_slots_, size, [&](KeyedSlot& slot, std::uint32_t k, std::uint64_t spread) {
      const std::string_view s = name(k);
      slot = {prefix_of(s), k, tag_length_of(tag_of(spread), s.size())};
    });
  else
    rebuild(slots_, size, [](Slot& slot, std::uint32_t k, std::uint64_t spread) { slot = {k, tag_of(spread)}; });
}

void Interner::reserve_arrays(std::size_t strings, std::size_t bytes) { strings_.reserve(strings, bytes); }

void Interner::reserve(std::size_t strings, std::size_t bytes) {
  reserve_arrays(strings, bytes);
  // Straight to the final size: doubling step by step would fill (and fault
  // in) every smaller table on the way.
  std::size_t size = table_size() == 0 ? 64 : table_size();
  while (size < 2 * strings) size *= 2;
  if (size > table_size()) grow(size);
}

std::pair<std::uint32_t, bool> Interner::intern(std::string_view s, std::uint64_t hash) {
  // Grown past 3/5 full, not 1/2: linear probing over tagged slots stays
  // short, and at scale 1 the 4.3M donors then fit 8M slots instead of
  // doubling to 16M near the end of the file, at the run's peak memory.
  if ((size() + 1) * 5 > table_size() * 3) grow(table_size() == 0 ? 64 : table_size() * 2);
  const std::size_t i = slot_of(s, hash);
  if (const std::uint32_t found = index_at(i); found != kEmpty) return {found, false};
  const std::uint32_t index = size();
  strings_.append(s, hash);
  const std::uint32_t tag = tag_of(spread_of(hash));
  if (keep_keys_)
    keyed_slots_[i] = {prefix_of(s), index, tag_length_of(tag, s.size())};
  else
    slots_[i] = {index, tag};
  return {index, true};
}

std::optional<std::uint32_t> Interner::find(std::string_view s) const {
  if (table_size() == 0) return std::nullopt;
  const std::uint32_t index = index_at(slot_of(s, name_hash(s)));
  if (index == kEmpty) return std::nullopt;
  return index;
}

}  // namespace matchfund
