// Strict reading of a JSON request body: an object with only the fields an
// endpoint knows, each of the right type. Every problem is a BadRequest whose
// message names the field, so a client sees exactly what to fix.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/money.hpp"
#include "engine/time.hpp"

namespace matchfund::serve {

struct BadRequest {
  std::string message;
};

class RequestBody {
 public:
  // Parses `body`; `allowed` lists every field the endpoint accepts.
  RequestBody(std::string_view body, std::initializer_list<std::string_view> allowed);

  std::string text(const char* field) const;                 // a required string
  std::string optional_text(const char* field) const;        // "" when absent
  Minor amount(const char* field, int minor_units) const;    // a decimal string, e.g. "12.34"
  Micros time(const char* field) const;                      // RFC 3339
  bool flag(const char* field, bool fallback) const;         // an optional boolean

 private:
  const nlohmann::json& required(const char* field) const;
  nlohmann::json json_;
};

}  // namespace matchfund::serve
