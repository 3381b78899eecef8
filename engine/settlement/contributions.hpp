// The contributions file of a settlement round (SPEC 7).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/interner.hpp"
#include "engine/money.hpp"

namespace matchfund {

// Field name (donor, project, amount, weight, id, time) -> header column,
// from --map; a field not mapped is read from the column of its own name.
using ColumnMap = std::map<std::string, std::string, std::less<>>;

struct Contributions {
  Interner donors;
  Interner projects;
  std::vector<std::uint32_t> donor;
  std::vector<std::uint32_t> project;
  std::vector<Wide> amount;  // value * 10^18
  std::vector<Wide> weight;  // value * 10^18; 10^18 when the file has no weight column
  std::size_t size() const { return amount.size(); }
};

inline constexpr Wide kExactOne = static_cast<Wide>(1'000'000'000'000'000'000LL);

Contributions read_contributions(std::string_view text, const std::string& label, const ColumnMap& map);

}  // namespace matchfund
