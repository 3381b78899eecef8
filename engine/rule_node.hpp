// A value inside the rules JSON together with its path, so that every check
// can fail with "rules.json: pools[1].caps.per_donor.per: ...".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/money.hpp"

namespace matchfund {

using Json = nlohmann::json;

class RuleNode {
 public:
  RuleNode(const Json& value, std::string path, const std::string& file) : value_(value), path_(std::move(path)), file_(file) {}

  const Json& json() const { return value_; }
  const std::string& path() const { return path_; }

  // Throws a rules Error naming the file and this node's path.
  [[noreturn]] void fail(const std::string& message) const;

  bool has(std::string_view key) const { return value_.is_object() && value_.contains(key); }
  RuleNode child(std::string_view key) const;  // the key must exist
  RuleNode at(std::size_t index) const;

  // Checks that this is an object whose keys are all in `allowed`.
  void expect_object(std::initializer_list<std::string_view> allowed) const;
  void expect_object() const;  // any keys
  // Checks that this is an array and returns its size.
  std::size_t expect_array() const;

  std::string_view string() const;
  bool boolean() const;
  // A JSON integer (no fraction, no exponent, not a boolean) in [lo, hi].
  std::int64_t integer(std::int64_t lo, std::int64_t hi) const;
  // A JSON string holding an amount with at most minor_units fraction digits.
  Minor amount(int minor_units) const;
  Ratio ratio() const;

  // The error text for a key the contract does not define here.
  [[noreturn]] void fail_unknown_key(std::string_view key) const;

 private:
  const Json& value_;
  std::string path_;
  const std::string& file_;
};

// Parses JSON text strictly (RFC 8259, no repeated keys, UTF-8). Throws a rules
// Error naming `file` and the line and column, or the path of a repeated key.
Json parse_rules_json(std::string_view text, const std::string& file);

}  // namespace matchfund
