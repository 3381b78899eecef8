#include "engine/sweep/rules_path.hpp"

#include <charconv>

#include "engine/error.hpp"

namespace matchfund::sweep {

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw Error(ErrorKind::usage, "--vary " + path + ": " + why);
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

nlohmann::json typed_like(const nlohmann::json* old, std::string_view value, const std::string& path) {
  const std::string text(value);
  auto as_json = [&]() -> nlohmann::json {
    try {
      return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error&) {
      bad(path, "\"" + text + "\" is not valid JSON");
    }
  };
  if (!old) {
    if (text == "true" || text == "false" || text.starts_with('{') || text.starts_with('[')) return as_json();
    return text;
  }
  if (old->is_string()) return text;
  if (old->is_boolean()) {
    if (text != "true" && text != "false") bad(path, "\"" + text + "\" is not true or false");
    return text == "true";
  }
  if (old->is_number_integer()) {
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) bad(path, "\"" + text + "\" is not an integer");
    return v;
  }
  if (old->is_number()) {
    const nlohmann::json v = as_json();
    if (!v.is_number()) bad(path, "\"" + text + "\" is not a number");
    return v;
  }
  return as_json();
}

}  // namespace

RulesPath parse_rules_path(std::string_view text) {
  RulesPath path;
  path.text = std::string(text);
  std::size_t i = 0;
  while (true) {
    RulesPath::Step step;
    while (i < text.size() && is_key_char(text[i])) step.key += text[i++];
    if (step.key.empty()) bad(path.text, "expected a key at character " + std::to_string(i + 1));
    if (i < text.size() && text[i] == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) bad(path.text, "a '[' is not closed");
      step.selects = true;
      step.selector = std::string(text.substr(i + 1, close - i - 1));
      if (step.selector.empty()) bad(path.text, "empty brackets");
      step.by_index = step.selector.find_first_not_of("0123456789") == std::string::npos;
      if (step.by_index) step.index = std::stoul(step.selector);
      i = close + 1;
    }
    path.steps.push_back(std::move(step));
    if (i == text.size()) break;
    if (text[i] != '.') bad(path.text, "unexpected '" + std::string(1, text[i]) + "' at character " + std::to_string(i + 1));
    ++i;
  }
  return path;
}

void set_rules_field(nlohmann::json& rules, const RulesPath& path, std::string_view value) {
  nlohmann::json* at = &rules;
  for (std::size_t s = 0; s < path.steps.size(); ++s) {
    const RulesPath::Step& step = path.steps[s];
    const bool last = s + 1 == path.steps.size() && !step.selects;
    if (!at->is_object()) bad(path.text, "\"" + step.key + "\" is inside something that is not an object");
    if (last) {
      auto it = at->find(step.key);
      (*at)[step.key] = typed_like(it == at->end() ? nullptr : &*it, value, path.text);
      return;
    }
    if (!at->contains(step.key)) {
      if (step.selects) bad(path.text, "the rules have no \"" + step.key + "\"");
      (*at)[step.key] = nlohmann::json::object();
    }
    at = &(*at)[step.key];
    if (!step.selects) continue;
    if (!at->is_array()) bad(path.text, "\"" + step.key + "\" is not an array");
    nlohmann::json* element = nullptr;
    if (step.by_index) {
      if (step.index >= at->size()) bad(path.text, step.key + " has no element " + step.selector);
      element = &(*at)[step.index];
    } else {
      for (auto& e : *at)
        if (e.is_object() && e.contains("id") && e["id"] == step.selector) element = &e;
      if (!element) bad(path.text, step.key + " has no element with id \"" + step.selector + "\"");
    }
    at = element;
    if (s + 1 == path.steps.size()) bad(path.text, "the path ends at an element; name a field of it");
  }
}

}  // namespace matchfund::sweep
