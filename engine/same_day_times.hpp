// The first step of a batch whose caps count per day: each donation's time
// of day, block by block while a whole block stays on the batch's day.
#pragma once

#include <cstddef>

#include "engine/time.hpp"

namespace matchfund {

// Donations per block.
inline constexpr std::size_t kSameDayBlock = 32;

// From position `from` (>= 1), writes time_of_day[i] = time[i] - midnight for
// whole blocks of kSameDayBlock donations, up to `most`, and stops before the
// first block with a time off the day [midnight, midnight + kMicrosPerDay)
// (whose times of day it may have written). Returns where it stopped, and
// sets `backwards` when a time of the blocks it took is below the one before
// (time[from - 1] included).
std::size_t same_day_blocks(const Micros* time, std::size_t from, std::size_t most, Micros midnight,
                            Micros* time_of_day, bool& backwards);

}  // namespace matchfund
