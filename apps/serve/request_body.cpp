#include "apps/serve/request_body.hpp"

#include <algorithm>

namespace matchfund::serve {

namespace {

[[noreturn]] void bad(std::string message) { throw BadRequest{std::move(message)}; }

}  // namespace

RequestBody::RequestBody(std::string_view body, std::initializer_list<std::string_view> allowed) {
  // Duplicate keys are refused like in rules files: the parser callback sees each key of the top object.
  bool duplicate = false;
  std::string duplicate_key;
  std::vector<std::string> seen;
  auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (depth == 1 && event == nlohmann::json::parse_event_t::key) {
      const std::string key = parsed.get<std::string>();
      if (std::find(seen.begin(), seen.end(), key) != seen.end() && !duplicate) {
        duplicate = true;
        duplicate_key = key;
      }
      seen.push_back(key);
    }
    return true;
  };
  try {
    json_ = nlohmann::json::parse(body.begin(), body.end(), callback);
  } catch (const nlohmann::json::parse_error& e) {
    bad("the body is not valid JSON (at byte " + std::to_string(e.byte) + ")");
  }
  if (!json_.is_object()) bad("the body must be a JSON object");
  if (duplicate) bad("field \"" + duplicate_key + "\" appears twice");
  for (const auto& item : json_.items())
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
      bad("unknown field \"" + item.key() + "\"");
}

const nlohmann::json& RequestBody::required(const char* field) const {
  auto it = json_.find(field);
  if (it == json_.end()) bad(std::string("field \"") + field + "\" is required");
  return *it;
}

std::string RequestBody::text(const char* field) const {
  const nlohmann::json& v = required(field);
  if (!v.is_string()) bad(std::string("field \"") + field + "\" must be a string");
  return v.get<std::string>();
}

std::string RequestBody::optional_text(const char* field) const {
  return json_.contains(field) ? text(field) : std::string();
}

Minor RequestBody::amount(const char* field, int minor_units) const {
  const std::string s = text(field);
  AmountResult a = parse_amount(s, minor_units);
  if (a.failure) bad(std::string("field \"") + field + "\": " + describe(*a.failure, s, minor_units));
  return a.value;
}

Micros RequestBody::time(const char* field) const {
  const std::string s = text(field);
  auto t = parse_instant(s);
  if (!t) bad(std::string("field \"") + field + "\": \"" + s + "\" is not an RFC 3339 time with an offset");
  return t->utc;
}

bool RequestBody::flag(const char* field, bool fallback) const {
  auto it = json_.find(field);
  if (it == json_.end()) return fallback;
  if (!it->is_boolean()) bad(std::string("field \"") + field + "\" must be true or false");
  return it->get<bool>();
}

}  // namespace matchfund::serve
