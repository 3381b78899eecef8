// The allocator's kernels for the ledger sinks, compiled once (see ledger.hpp).
#include "engine/ledger.hpp"

namespace matchfund {

template std::size_t Allocator::allocate<CsvLedgerSink>(const DonationInput&, std::uint64_t, CsvLedgerSink&);
template std::size_t Allocator::allocate<NullSink>(const DonationInput&, std::uint64_t, NullSink&);
template std::size_t Allocator::allocate<VectorSink>(const DonationInput&, std::uint64_t, VectorSink&);

}  // namespace matchfund
