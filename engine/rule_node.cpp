#include "engine/rule_node.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "engine/error.hpp"
#include "engine/limits.hpp"
#include "engine/text.hpp"

namespace matchfund {
namespace {

std::string type_name(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

}  // namespace

void RuleNode::fail(const std::string& message) const {
  throw Error(ErrorKind::rules, file_ + ": " + (path_.empty() ? std::string("(top level)") : path_) + ": " + message);
}

void RuleNode::fail_unknown_key(std::string_view key) const {
  RuleNode(value_, path_.empty() ? std::string(key) : path_ + "." + std::string(key), file_)
      .fail("unknown key (the contract defines no field of this name here)");
}

RuleNode RuleNode::child(std::string_view key) const {
  return RuleNode(value_.at(std::string(key)), path_.empty() ? std::string(key) : path_ + "." + std::string(key), file_);
}

RuleNode RuleNode::at(std::size_t index) const {
  std::string path = path_;
  path += '[';
  path += std::to_string(index);
  path += ']';
  return RuleNode(value_.at(index), std::move(path), file_);
}

void RuleNode::expect_object() const {
  if (!value_.is_object()) fail("expected an object, found " + type_name(value_));
}

void RuleNode::expect_object(std::initializer_list<std::string_view> allowed) const {
  expect_object();
  for (const auto& item : value_.items())
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) fail_unknown_key(item.key());
}

std::size_t RuleNode::expect_array() const {
  if (!value_.is_array()) fail("expected an array, found " + type_name(value_));
  return value_.size();
}

std::string_view RuleNode::string() const {
  if (!value_.is_string()) fail("expected a string, found " + type_name(value_));
  return value_.get_ref<const std::string&>();
}

bool RuleNode::boolean() const {
  if (!value_.is_boolean()) fail("expected true or false, found " + type_name(value_));
  return value_.get<bool>();
}

std::int64_t RuleNode::integer(std::int64_t lo, std::int64_t hi) const {
  std::string range = "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (value_.is_number_unsigned()) {
    std::uint64_t v = value_.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(hi) || (lo > 0 && v < static_cast<std::uint64_t>(lo))) fail("expected " + range + ", found " + value_.dump());
    return static_cast<std::int64_t>(v);
  }
  if (value_.is_number_integer()) {
    std::int64_t v = value_.get<std::int64_t>();
    if (v < lo || v > hi) fail("expected " + range + ", found " + value_.dump());
    return v;
  }
  if (value_.is_number_float()) fail("expected " + range + " written without fraction or exponent");
  fail("expected " + range + ", found " + type_name(value_));
}

Minor RuleNode::amount(int minor_units) const {
  if (!value_.is_string())
    fail("expected an amount as a JSON string such as \"100.00\", found " + type_name(value_));
  std::string_view text = string();
  AmountResult r = parse_amount(text, minor_units);
  if (r.failure) fail(describe(*r.failure, text, minor_units));
  return r.value;
}

Ratio RuleNode::ratio() const {
  if (!value_.is_string()) fail("expected a ratio as a JSON string such as \"1.5\", found " + type_name(value_));
  std::string_view text = string();
  RatioResult r = parse_ratio(text);
  if (!r.failure) return r.value;
  if (*r.failure == ParseFailure::too_many_fraction_digits)
    fail(quote(text) + " has more than 6 fraction digits");
  if (*r.failure == ParseFailure::overflow)
    fail(quote(text) + " is too large (the ratio times 10^6 must fit a signed 64-bit integer)");
  fail(quote(text) + " is not a plain decimal ratio such as \"1\" or \"0.5\"");
}

Json parse_rules_json(std::string_view text, const std::string& file) {
  // Track the path of the value being parsed so that a repeated key can be named.
  struct Frame {
    bool object;
    std::string key;
    long index = -1;
    std::set<std::string> keys;
  };
  std::vector<Frame> frames;
  auto path_of = [&frames](std::size_t depth) {
    std::string p;
    for (std::size_t i = 0; i < depth; ++i) {
      const Frame& f = frames[i];
      if (f.object) {
        if (!p.empty()) p += '.';
        p += f.key;
      } else {
        p += '[';
        p += std::to_string(f.index);
        p += ']';
      }
    }
    return p;
  };
  const InputLimits& limits = input_limits();
  auto fail_at = [&](std::size_t depth, const std::string& message) {
    std::string where = path_of(depth);
    throw Error(ErrorKind::rules, file + ": " + (where.empty() ? std::string("(top level)") : where) + ": " + message);
  };
  auto enter_value = [&] {
    if (frames.empty() || frames.back().object) return;
    Frame& top = frames.back();
    ++top.index;
    if (frames.size() == 2 && frames[0].object && frames[0].key == "pools" &&
        static_cast<std::size_t>(top.index) >= limits.max_pools)
      fail_at(2, "more than the limit of " + std::to_string(limits.max_pools) +
                     " pools (max_pools, docs/reliability.md)");
  };
  auto enter_container = [&](bool object) {
    enter_value();
    if (frames.size() >= limits.max_json_depth)
      fail_at(frames.size(), "arrays and objects nested more than " + std::to_string(limits.max_json_depth) +
                                 " deep (max_json_depth, docs/reliability.md)");
    frames.push_back({object, {}, -1, {}});
  };
  auto callback = [&](int, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        enter_container(true);
        break;
      case Json::parse_event_t::array_start:
        enter_container(false);
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        frames.pop_back();
        break;
      case Json::parse_event_t::key: {
        Frame& top = frames.back();
        const std::string& key = parsed.get_ref<const std::string&>();
        if (!top.keys.insert(key).second) {
          std::string where = path_of(frames.size() - 1);
          throw Error(ErrorKind::rules, file + ": " + (where.empty() ? std::string("(top level)") : where) +
                                            ": the key " + quote(key) + " appears twice");
        }
        top.key = key;
        break;
      }
      case Json::parse_event_t::value:
        enter_value();
        break;
    }
    return true;
  };
  if (text.size() > limits.max_rules_bytes)
    throw Error(ErrorKind::rules, file + ": the file is larger than the limit of " +
                                      std::to_string(limits.max_rules_bytes) + " bytes (max_rules_bytes, docs/reliability.md)");
  try {
    return Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for a number past the range of a double
    // (such as 1e400), which nlohmann-json throws while parsing.
    std::string what = e.what();
    auto cut = what.find("] ");
    throw Error(ErrorKind::rules, file + ": not valid JSON: " + (cut == std::string::npos ? what : what.substr(cut + 2)));
  }
}

}  // namespace matchfund
