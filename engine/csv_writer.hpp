// RFC 4180 output fields as SPEC 8 fixes them: quoted if and only if the field
// holds a comma, a quote, CR or LF, with quotes doubled.
#pragma once

#include <string>
#include <string_view>

namespace matchfund {

inline void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace matchfund
