// Dense indices for strings: the first string seen gets 0, the next new one 1...
// Open addressing over one byte arena, so interning allocates only when the
// arena or the table grows, never per string.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/default_init_allocator.hpp"
#include "engine/hash.hpp"
#include "engine/name_hash.hpp"
#include "engine/string_column.hpp"

namespace matchfund {

class Interner {
 public:
  // Whether each string's first 8 bytes and length are kept in its hash
  // table slot (16-byte slots instead of 8): for a table looked up mostly
  // with strings it already holds (donors), a repeat of a string up to 8
  // bytes long is then confirmed from the slot alone, with no second memory
  // access; a longer one has its bytes compared.
  enum class Keys { none, kept };
  explicit Interner(Keys keys = Keys::none) : keep_keys_(keys == Keys::kept) {}

  // Returns the index of `s` and whether it was new. `hash` must be name_hash(s).
  std::pair<std::uint32_t, bool> intern(std::string_view s, std::uint64_t hash);
  std::pair<std::uint32_t, bool> intern(std::string_view s) { return intern(s, name_hash(s)); }

  std::optional<std::uint32_t> find(std::string_view s) const;
  // Starts loading the slot a string with this name_hash probes first, so
  // that interning it a little later does not wait on memory. Always inlined:
  // out of line, GCC finds it free of side effects and deletes the calls.
  [[gnu::always_inline]] void prefetch(std::uint64_t hash) const {
    const std::size_t at = spread_of(hash) & (table_size() - 1);
    if (keep_keys_) {
      if (!keyed_slots_.empty()) __builtin_prefetch(&keyed_slots_[at]);
    } else if (!slots_.empty()) {
      __builtin_prefetch(&slots_[at]);
    }
  }
  std::string_view name(std::uint32_t index) const { return strings_.name(index); }
  std::uint32_t size() const { return strings_.size(); }
  // Room for this many strings and bytes in all, and a table sized for them.
  void reserve(std::size_t strings, std::size_t bytes);
  // The same room, but the table still grows as strings come: for a count
  // known only as an upper bound. Room never written costs no memory, while
  // outgrowing it copies (and faults in again) every array.
  void reserve_arrays(std::size_t strings, std::size_t bytes);

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  // A slot keeps the high half of the hash beside the index, so a probe
  // rejects other strings without touching the hash or byte arrays.
  struct Slot {
    std::uint32_t index;
    std::uint32_t tag;
  };
  // With keys: the string's first 8 bytes (zero after its end), and the
  // top 24 bits of the tag with the length (255 for 255 bytes or more) in the
  // low byte. Four slots to a cache line.
  struct KeyedSlot {
    std::uint64_t prefix;
    std::uint32_t index;
    std::uint32_t tag_length;
  };
  static constexpr std::size_t kPrefixBytes = 8;
  static std::uint64_t prefix_of(std::string_view s);
  static std::uint32_t tag_length_of(std::uint32_t tag, std::size_t length) {
    return (tag & 0xFFFFFF00u) | static_cast<std::uint32_t>(length < 255 ? length : 255);
  }
  static std::uint32_t tag_of(std::uint64_t spread) { return static_cast<std::uint32_t>(spread >> 32); }
  // name_hash's low bits change little between ids such as "d0000001" and
  // "d0000002"; a splitmix64 finaliser spreads them before they pick a slot.
  static std::uint64_t spread_of(std::uint64_t hash) { return splitmix64(hash); }
  std::size_t table_size() const { return keep_keys_ ? keyed_slots_.size() : slots_.size(); }
  std::uint32_t index_at(std::size_t slot) const { return keep_keys_ ? keyed_slots_[slot].index : slots_[slot].index; }
  // The slot that holds `s`, or the empty slot where it would go.
  std::size_t slot_of(std::string_view s, std::uint64_t hash) const;
  bool same_bytes(std::uint32_t index, std::string_view s) const;
  // Rebuilds the table with `size` slots (a power of two).
  void grow(std::size_t size);
  template <class Table, class Fill>
  void rebuild(Table& table, std::size_t size, Fill&& fill);

  StringColumn strings_;  // by index
  bool keep_keys_;
  // Power-of-two size, at most 3/5 full; only the one for keep_keys_ is used.
  // (Resized unwritten: rebuild fills a new table itself, see parallel_fill.hpp.)
  std::vector<Slot, DefaultInitAllocator<Slot>> slots_;
  std::vector<KeyedSlot, DefaultInitAllocator<KeyedSlot>> keyed_slots_;
};

}  // namespace matchfund
