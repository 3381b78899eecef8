// Request counts and latencies per route, and pool balances, in the
// Prometheus text exposition format (version 0.0.4).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/engine_types.hpp"

namespace matchfund::serve {

class Metrics {
 public:
  void observe(std::string_view route, int status, double seconds);
  std::string render(const std::vector<PoolTotals>& pools, int minor_units) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                      0.005,   0.01,   0.025,   0.05,   0.1,   1.0};
  struct Latency {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // cumulative counts are made when rendering
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex m_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Latency> latency_;
};

}  // namespace matchfund::serve
