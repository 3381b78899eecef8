// The parsed, interned donation stream: a struct of arrays in file order,
// immutable once read, replayable under any number of rule sets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/string_column.hpp"
#include "engine/money.hpp"
#include "engine/time.hpp"

namespace matchfund {

struct DonationStream {
  // One entry per accepted donation (duplicates are counted, not stored).
  std::vector<Micros> time;
  std::vector<TimeStyle> time_style;  // how each time was written
  std::vector<std::uint32_t> donor;
  std::vector<std::uint32_t> project;
  std::vector<std::uint32_t> channel;
  std::vector<Minor> amount;
  std::vector<std::uint32_t> line;  // 1-based line of the row, for errors found while allocating
  StringColumn ids;                 // donation i has id ids.name(i) and hash ids.hash(i)

  std::uint64_t duplicates = 0;
  Minor donated = 0;
  std::string label;  // the file, for error messages

  std::size_t size() const { return amount.size(); }
  std::string_view id(std::size_t i) const { return ids.name(static_cast<std::uint32_t>(i)); }
};

}  // namespace matchfund
