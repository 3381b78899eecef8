// Which strings of a column repeat an earlier one: how a donation stream
// finds its duplicate ids once the whole file is read, instead of probing a
// hash table of every id (hundreds of megabytes, one cache miss a row) while
// it is read.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/string_column.hpp"

namespace matchfund {

// The positions, ascending, of the strings equal to one at a lower position.
std::vector<std::uint32_t> find_repeats(const StringColumn& column);

}  // namespace matchfund
