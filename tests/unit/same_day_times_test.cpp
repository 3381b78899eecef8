// same_day_blocks takes whole blocks while every time is on the day, and
// reports a time below the one before within what it took, against a
// donation-by-donation reference, whichever vector code this CPU runs.
#include "engine/same_day_times.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace matchfund {
namespace {

struct Expected {
  std::size_t stop = 0;
  bool backwards = false;
};

Expected reference(const std::vector<Micros>& time, std::size_t from, std::size_t most, Micros midnight) {
  Expected e;
  e.stop = from;
  for (std::size_t block = from; block + kSameDayBlock <= most; block += kSameDayBlock) {
    bool on_day = true, back = false;
    for (std::size_t i = block; i < block + kSameDayBlock; ++i) {
      on_day &= time[i] >= midnight && time[i] < midnight + kMicrosPerDay;
      back |= time[i] < time[i - 1];
    }
    if (!on_day) break;
    e.stop = block + kSameDayBlock;
    e.backwards |= back;
  }
  return e;
}

TEST(SameDayBlocks, StopsAtTheFirstBlockOffTheDayAndSeesTimesGoingBack) {
  std::mt19937_64 random(17);
  const Micros midnight = 1'504'713'600'000'000;  // 2017-09-07 00:00 +08:00, in UTC micros
  for (int round = 0; round < 3000; ++round) {
    const std::size_t most = 1 + random() % 300;
    std::vector<Micros> time(most);
    Micros t = midnight + static_cast<Micros>(random() % kMicrosPerDay);
    for (Micros& x : time) {
      t += static_cast<Micros>(random() % 2'000'000);
      x = t;
    }
    switch (round % 5) {
      case 0:  // one time going back
        time[random() % most] -= 5'000'000;
        break;
      case 1:  // one time on the day before or after, or at the edges
        time[random() % most] = midnight + (random() % 2 ? kMicrosPerDay : -1);
        break;
      case 2:  // the last instant of the day and the first: both on it
        time[random() % most] = midnight + kMicrosPerDay - 1;
        time[random() % most] = midnight;
        break;
      case 3:  // far off, as an out-of-order stream can be
        time[random() % most] = midnight - 400 * kMicrosPerDay;
        break;
      default:
        break;
    }
    std::vector<Micros> time_of_day(most, -7);
    bool backwards = false;
    const std::size_t from = 1;
    const std::size_t stop = same_day_blocks(time.data(), from, most, midnight, time_of_day.data(), backwards);
    const Expected e = reference(time, from, most, midnight);
    ASSERT_EQ(stop, e.stop) << "round " << round;
    ASSERT_EQ(backwards, e.backwards) << "round " << round;
    for (std::size_t i = from; i < stop; ++i) ASSERT_EQ(time_of_day[i], time[i] - midnight) << "round " << round;
  }
}

}  // namespace
}  // namespace matchfund
