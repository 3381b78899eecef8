// A whole simulate run in memory: rules, catalog and stream in, pool totals
// out. The command line, tests and benchmarks share it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/allocator.hpp"
#include "engine/donation_stream.hpp"
#include "engine/error.hpp"
#include "engine/rules.hpp"

namespace matchfund {

// Runs the allocator over the whole stream into `sink`. Throws an input Error
// naming the line when a base does not fit int64 (SPEC 8).
template <class Sink>
void run_allocation(Allocator& allocator, const DonationStream& stream, Sink& sink) {
  DonationInput in;
  in.size = stream.size();
  in.time = stream.time.data();
  in.donor = stream.donor.data();
  in.project = stream.project.data();
  in.channel = stream.channel.data();
  in.amount = stream.amount.data();
  in.id_hash = stream.ids.hash_data();
  std::size_t failed = allocator.allocate(in, 0, sink);
  if (failed != Allocator::kNoError)
    throw Error(ErrorKind::input, stream.label + ", line " + std::to_string(stream.line[failed]) +
                                      ", column amount: the match this amount earns does not fit a signed "
                                      "64-bit count of minor units");
  if constexpr (requires { sink.finish(); }) sink.finish();  // a sink that formats rows on its own thread
}

// What the summary says of a run's donations, beside the pools' states.
struct StreamTotals {
  std::uint64_t donations = 0;  // not counting duplicates
  std::uint64_t duplicates = 0;
  Minor donated = 0;
  // By pool in try order: when the donation that exhausted it was made (as written), if one did.
  std::vector<std::optional<ParsedInstant>> exhausted_at;
};

// The summary JSON of SPEC 5, with a trailing newline.
std::string summary_json(const Plan& plan, const StreamTotals& totals, const Allocator& allocator);
std::string summary_json(const Plan& plan, const DonationStream& stream, const Allocator& allocator);

}  // namespace matchfund
