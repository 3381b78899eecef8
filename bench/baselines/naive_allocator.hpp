// The baseline: what a typical in-house matcher looks like. Rules read from
// JSON into doubles, state in std::unordered_map keyed by strings, money in
// double, a fresh result vector per donation. It implements the same rule
// families as the engine (approximately: doubles round), so both can run on
// one stream and be compared in the same benchmark run.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace matchfund::bench {

struct NaiveDonation {
  std::string id;
  double time;  // seconds since 1970 UTC
  std::string donor, project, category, org, channel;
  double amount;
};

struct NaiveGrant {
  std::string pool;
  double granted;
  std::string limit;
};

class NaiveAllocator {
 public:
  explicit NaiveAllocator(const std::string& rules_json);
  ~NaiveAllocator();
  std::vector<NaiveGrant> allocate(const NaiveDonation& d);
  double matched() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace matchfund::bench
