#include "apps/serve/metrics.hpp"

#include <cstdio>

namespace matchfund::serve {

namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

// Money as a number of currency units for dashboards; exact values are in the API.
std::string units(Minor amount, int minor_units) {
  double scale = 1;
  for (int i = 0; i < minor_units; ++i) scale *= 10;
  return number(static_cast<double>(amount) / scale);
}

}  // namespace

void Metrics::observe(std::string_view route, int status, double seconds) {
  std::lock_guard lock(m_);
  ++requests_[{std::string(route), status}];
  Latency& l = latency_[std::string(route)];
  for (std::size_t b = 0; b < kBuckets.size(); ++b)
    if (seconds <= kBuckets[b]) {
      ++l.buckets[b];
      break;
    }
  ++l.count;
  l.sum += seconds;
}

std::string Metrics::render(const std::vector<PoolTotals>& pools, int minor_units) const {
  std::string out;
  {
    std::lock_guard lock(m_);
    out += "# HELP matchfund_requests_total Requests answered, by route and HTTP status.\n";
    out += "# TYPE matchfund_requests_total counter\n";
    for (const auto& [key, count] : requests_)
      out += "matchfund_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) +
             "\"} " + std::to_string(count) + "\n";
    out += "# HELP matchfund_request_duration_seconds Time to answer a request, by route.\n";
    out += "# TYPE matchfund_request_duration_seconds histogram\n";
    for (const auto& [route, l] : latency_) {
      std::uint64_t cumulative = 0;
      const std::string label = "matchfund_request_duration_seconds_bucket{route=\"" + route + "\",le=\"";
      for (std::size_t b = 0; b < kBuckets.size(); ++b) {
        cumulative += l.buckets[b];
        out += label + number(kBuckets[b]) + "\"} " + std::to_string(cumulative) + "\n";
      }
      out += label + "+Inf\"} " + std::to_string(l.count) + "\n";
      out += "matchfund_request_duration_seconds_sum{route=\"" + route + "\"} " + number(l.sum) + "\n";
      out += "matchfund_request_duration_seconds_count{route=\"" + route + "\"} " + std::to_string(l.count) + "\n";
    }
  }
  const std::pair<const char*, Minor PoolTotals::*> gauges[] = {
      {"budget", &PoolTotals::budget},       {"unlocked", &PoolTotals::unlocked}, {"held", &PoolTotals::held},
      {"confirmed", &PoolTotals::confirmed}, {"released", &PoolTotals::released},
      {"available", &PoolTotals::available}};
  for (const auto& [name, field] : gauges) {
    out += "# HELP matchfund_pool_" + std::string(name) + " The pool's " + name + " amount, in currency units.\n";
    out += "# TYPE matchfund_pool_" + std::string(name) + " gauge\n";
    for (const PoolTotals& p : pools)
      out += "matchfund_pool_" + std::string(name) + "{pool=\"" + std::string(p.pool) + "\"} " +
             units(p.*field, minor_units) + "\n";
  }
  return out;
}

}  // namespace matchfund::serve
