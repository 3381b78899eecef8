// Dense indices for strings: the first string seen gets 0, the next new one 1...
// Open addressing over one byte arena, so interning allocates only when the
// arena or the table grows, never per string.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/hash.hpp"

namespace matchfund {

class Interner {
 public:
  // Whether each string's short key is kept beside it (16 bytes a string):
  // for a table looked up mostly with strings it already holds (donors), a
  // repeat of a string up to 15 bytes long is then confirmed by one load of
  // its key, not by loads of its offset and its bytes.
  enum class Keys { none, kept };
  explicit Interner(Keys keys = Keys::none) : keep_keys_(keys == Keys::kept) {}

  // Returns the index of `s` and whether it was new. `hash` must be fnv1a64(s).
  std::pair<std::uint32_t, bool> intern(std::string_view s, std::uint64_t hash);
  std::pair<std::uint32_t, bool> intern(std::string_view s) { return intern(s, fnv1a64(s)); }

  std::optional<std::uint32_t> find(std::string_view s) const;
  // Starts loading the slot a string with this fnv1a64 hash probes first, so
  // that interning it a little later does not wait on memory. Always inlined:
  // out of line, GCC finds it free of side effects and deletes the calls.
  [[gnu::always_inline]] void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[spread_of(hash) & (slots_.size() - 1)]);
  }
  // A later stage for a string that is probably already interned (a repeat
  // donor): once the slot is in cache, start loading the key (or, without
  // keys, the offset) of the string it holds. Only the first slot probed is
  // looked at; a miss there just costs a useless prefetch.
  [[gnu::always_inline]] void prefetch_key(std::uint64_t hash) const {
    if (const Slot* slot = first_match(hash))
      __builtin_prefetch(keep_keys_ ? static_cast<const void*>(&keys_[slot->index]) : &offsets_[slot->index]);
  }
  std::string_view name(std::uint32_t index) const {
    return {bytes_.data() + offsets_[index], offsets_[index + 1] - offsets_[index]};
  }
  // fnv1a64 of the string, computed once when it was interned.
  std::uint64_t hash(std::uint32_t index) const { return hashes_[index]; }
  const std::uint64_t* hash_data() const { return hashes_.data(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(hashes_.size()); }
  // Room for this many strings and bytes in all, and a table sized for them.
  void reserve(std::size_t strings, std::size_t bytes);
  // The same room, but the table still grows as strings come: for a count
  // known only as an upper bound. Room never written costs no memory, while
  // outgrowing it copies (and faults in again) every array.
  void reserve_arrays(std::size_t strings, std::size_t bytes);

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  // All the bytes of a string up to 15 bytes long and its length, in a form
  // that two loads compare (see key_of); a longer string's key holds its
  // first 15 bytes and the length 255, so equal keys still need its bytes compared.
  struct Key {
    std::uint64_t low, high;
    friend bool operator==(const Key&, const Key&) = default;
  };
  static constexpr std::size_t kKeyBytes = 15;
  static Key key_of(std::string_view s);
  // A slot keeps the high half of the hash beside the index, so a probe
  // rejects other strings without touching the hash or byte arrays.
  struct Slot {
    std::uint32_t index;
    std::uint32_t tag;
  };
  static std::uint32_t tag_of(std::uint64_t spread) { return static_cast<std::uint32_t>(spread >> 32); }
  // FNV-1a's low bits barely change between ids such as "d0000001" and
  // "d0000002"; a splitmix64 finaliser spreads them before they pick a slot.
  static std::uint64_t spread_of(std::uint64_t hash) { return splitmix64(hash); }
  std::size_t slot_of(std::string_view s, std::uint64_t hash) const;
  // The first slot `hash` probes, when it holds a string with the same tag.
  const Slot* first_match(std::uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    const std::uint64_t spread = spread_of(hash);
    const Slot& slot = slots_[spread & (slots_.size() - 1)];
    return slot.index != kEmpty && slot.tag == tag_of(spread) ? &slot : nullptr;
  }
  // Rebuilds the table with `size` slots (a power of two).
  void grow(std::size_t size);

  std::vector<char> bytes_;
  std::vector<std::uint64_t> offsets_{0};
  std::vector<std::uint64_t> hashes_;
  std::vector<Slot> slots_;  // power-of-two size, at most 3/5 full
  bool keep_keys_;
  std::vector<Key> keys_;  // [index], when keep_keys_
};

}  // namespace matchfund
