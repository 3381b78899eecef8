// Which strings of a column repeat an earlier one: how a donation stream
// finds its duplicate ids once the whole file is read, instead of probing a
// hash table of every id (hundreds of megabytes, one cache miss a row) while
// it is read.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/string_column.hpp"

namespace matchfund {

// The positions, ascending, of the strings equal to one at a lower position.
std::vector<std::uint32_t> find_repeats(const StringColumn& column);

// The same for any n items by their hashes: the positions of those whose
// hash equals an earlier one's and that `same` (called with the earlier
// position first, only when the hashes are equal) says are equal to it.
std::vector<std::uint32_t> find_repeats(const std::uint64_t* hash, std::uint32_t n,
                                        const std::function<bool(std::uint32_t, std::uint32_t)>& same);

}  // namespace matchfund
