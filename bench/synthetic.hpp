// A synthetic donation stream and campaign for benchmarks: heavy-tailed donor
// and project popularity, times in order over three local days, lucky amounts.
#pragma once

#include <cstdint>
#include <string>

#include "engine/catalog.hpp"
#include "engine/donation_stream.hpp"
#include "engine/rules.hpp"

namespace matchfund::bench {

struct SyntheticConfig {
  std::size_t donations = 1'000'000;
  std::uint32_t donors = 200'000;
  std::uint32_t projects = 6'466;
  std::uint64_t seed = 2017;
};

// Fills `catalog` (projects with categories and orgs) and returns the stream.
DonationStream make_stream(const SyntheticConfig& config, Catalog& catalog);

// Rules in the shape of 99 Giving Day 2017: three daily platform pools
// released at 09:00 +08:00 with per-donor daily caps and per-project caps, a
// corporate pool on education projects, a random-ratio evening pool.
std::string giving_day_rules();

// The same stream rendered as donations CSV text.
std::string to_csv(const DonationStream& stream, const Catalog& catalog);

}  // namespace matchfund::bench
