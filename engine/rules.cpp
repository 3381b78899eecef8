#include "engine/rules.hpp"

#include <set>

#include "engine/error.hpp"
#include "engine/text.hpp"
#include "policies/registry.hpp"

namespace matchfund {
namespace {

const ConditionEntry* find_condition(std::string_view key, bool inside_eligible) {
  for (const ConditionEntry& e : condition_policies())
    if (e.key == key && e.inside_eligible == inside_eligible) return &e;
  return nullptr;
}

void parse_rate(const RuleNode& match, const PoolContext& context, PoolRules& pool) {
  match.expect_object();
  if (match.json().size() != 1) {
    std::string kinds;
    for (const RateEntry& e : rate_policies()) {
      if (!kinds.empty()) kinds += ", ";
      kinds += e.name;
    }
    match.fail("match needs exactly one of " + kinds);
  }
  const std::string& kind = match.json().begin().key();
  for (const RateEntry& e : rate_policies()) {
    if (e.name == kind) {
      pool.rate = e.parse(match.child(kind), context);
      return;
    }
  }
  match.fail_unknown_key(kind);
}

void parse_caps(const RuleNode& caps, const PoolContext& context, PoolRules& pool) {
  caps.expect_object();
  for (const auto& item : caps.json().items()) {
    bool known = false;
    for (const CapEntry& e : cap_policies()) known |= e.name == item.key();
    if (!known) caps.fail_unknown_key(item.key());
  }
  // In registry order, which is the contract's limit order.
  for (const CapEntry& e : cap_policies())
    if (caps.has(e.name)) pool.caps.push_back({e.name, e.parse(caps.child(e.name), context)});
}

PoolRules parse_pool(const RuleNode& node, const Campaign& campaign, std::set<std::string>& ids) {
  node.expect_object();
  for (const auto& item : node.json().items()) {
    const std::string& k = item.key();
    bool known = k == "id" || k == "sponsor" || k == "budget" || k == "priority" || k == "stack" || k == "match" ||
                 k == "eligible" || k == "releases" || k == "caps" || find_condition(k, false);
    if (!known) node.fail_unknown_key(k);
  }
  PoolRules pool;
  pool.id = read_pool_id(node, ids);
  if (node.has("sponsor")) pool.sponsor = std::string(node.child("sponsor").string());
  pool.budget = read_pool_budget(node, campaign.minor_units);
  if (node.has("priority")) pool.priority = node.child("priority").integer(INT64_MIN, INT64_MAX);
  if (node.has("stack")) pool.stack = node.child("stack").boolean();

  PoolContext context{campaign.minor_units, campaign.seed, pool.id};
  if (!node.has("match")) node.fail("a pool needs \"match\"");
  parse_rate(node.child("match"), context, pool);
  for (const ConditionEntry& e : condition_policies())
    if (!e.inside_eligible && node.has(e.key)) {
      pool.conditions.push_back(e.parse(node.child(e.key), context));
      pool.condition_keys.push_back(e.key);
    }
  if (node.has("eligible")) {
    RuleNode eligible = node.child("eligible");
    eligible.expect_object();
    for (const auto& item : eligible.json().items())
      if (!find_condition(item.key(), true)) eligible.fail_unknown_key(item.key());
    for (const ConditionEntry& e : condition_policies())
      if (e.inside_eligible && eligible.has(e.key)) {
        pool.conditions.push_back(e.parse(eligible.child(e.key), context));
        pool.condition_keys.push_back(e.key);
      }
  }
  if (node.has("releases")) pool.releases = parse_releases(node.child("releases"), context, pool.budget);
  if (node.has("caps")) parse_caps(node.child("caps"), context, pool);
  return pool;
}

}  // namespace

std::string read_pool_id(const RuleNode& node, std::set<std::string>& ids_so_far) {
  if (!node.has("id")) node.fail("a pool needs \"id\"");
  RuleNode id = node.child("id");
  std::string text(id.string());
  bool valid = !text.empty();
  for (char c : text)
    valid = valid && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '.' || c == '-');
  if (!valid) id.fail("a pool id is made of letters, digits, '_', '.' and '-'");
  if (!ids_so_far.insert(text).second) id.fail("pool id " + quote(text) + " is used by an earlier pool");
  return text;
}

Minor read_pool_budget(const RuleNode& node, int minor_units) {
  if (!node.has("budget")) node.fail("a pool needs \"budget\"");
  RuleNode budget = node.child("budget");
  Minor value = budget.amount(minor_units);
  if (value <= 0) budget.fail("the budget must be greater than 0");
  return value;
}

bool has_settlement_pool(const RuleNode& root) {
  if (!root.has("pools") || !root.json()["pools"].is_array()) return false;
  for (const Json& pool : root.json()["pools"])
    if (pool.is_object() && pool.contains("settle")) return true;
  return false;
}

void parse_campaign_fields(const RuleNode& root, Campaign& c) {
  if (root.has("campaign")) c.name = std::string(root.child("campaign").string());
  if (root.has("currency")) c.currency = std::string(root.child("currency").string());
  if (root.has("minor_units")) c.minor_units = static_cast<int>(root.child("minor_units").integer(0, 6));
  if (root.has("utc_offset")) {
    RuleNode node = root.child("utc_offset");
    auto offset = parse_utc_offset(node.string());
    if (!offset) node.fail("expected an offset \"+HH:MM\" or \"-HH:MM\"");
    c.utc_offset = *offset;
  }
  if (root.has("seed")) c.seed = static_cast<std::uint64_t>(root.child("seed").integer(0, INT64_MAX));
  if (root.has("max_total_ratio")) c.max_total_ratio = root.child("max_total_ratio").ratio();
}

Campaign parse_campaign(std::string_view text, const std::string& file) {
  Json json = parse_rules_json(text, file);
  RuleNode root(json, "", file);
  root.expect_object({"campaign", "currency", "minor_units", "utc_offset", "seed", "max_total_ratio", "pools",
                      "reservation_ttl_seconds", "reservation_max_seconds"});
  if (has_settlement_pool(root))
    root.fail("these are settlement rules (pools with \"settle\"); use `matchfund settle` for them");
  Campaign c;
  parse_campaign_fields(root, c);
  constexpr std::int64_t kMaxSeconds = 1'000'000'000'000;
  if (root.has("reservation_ttl_seconds"))
    c.reservation_ttl_seconds = root.child("reservation_ttl_seconds").integer(1, kMaxSeconds);
  if (root.has("reservation_max_seconds"))
    c.reservation_max_seconds = root.child("reservation_max_seconds").integer(1, kMaxSeconds);
  if (c.reservation_ttl_seconds > c.reservation_max_seconds)
    (root.has("reservation_max_seconds") ? root.child("reservation_max_seconds") : root.child("reservation_ttl_seconds"))
        .fail("reservation_ttl_seconds (" + std::to_string(c.reservation_ttl_seconds) +
              ") must not exceed reservation_max_seconds (" + std::to_string(c.reservation_max_seconds) + ")");

  c.pools = read_pools<PoolRules>(
      root, [&c](const RuleNode& node, std::set<std::string>& ids) { return parse_pool(node, c, ids); });
  return c;
}

}  // namespace matchfund
