// The settlement outputs of SPEC 7: results CSV and summary JSON.
#pragma once

#include <string>
#include <vector>

#include "engine/settlement/settle.hpp"

namespace matchfund {

// C's printf("%.12g") of the value: 12 significant digits, trailing zeros removed.
std::string format_g12(const Quad& value);

std::string settlement_csv(const SettlementRules& rules, const std::vector<PoolResult>& results,
                           const Contributions& contributions);
std::string settlement_summary_json(const SettlementRules& rules, const std::vector<PoolResult>& results,
                                    const Contributions& contributions);

}  // namespace matchfund
