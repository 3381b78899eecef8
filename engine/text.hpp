// Small text helpers for error messages.
#pragma once

#include <string>
#include <string_view>

namespace matchfund {

// `text` in double quotes, as messages show values.
inline std::string quote(std::string_view text) {
  std::string s;
  s.reserve(text.size() + 2);
  s += '"';
  s.append(text);
  s += '"';
  return s;
}

}  // namespace matchfund
