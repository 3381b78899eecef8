// The names a run knows: projects with their category and org, donors and
// channels, each interned to a dense index. Shared by every stream parsed
// under it, so a compiled plan can resolve rule names to indices once.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/interner.hpp"

namespace matchfund {

struct Catalog {
  // Most rows repeat a donor, a project and a channel: they keep keys (see Interner::Keys).
  Interner projects{Interner::Keys::kept};
  Interner donors{Interner::Keys::kept};
  Interner channels{Interner::Keys::kept};
  Interner categories;  // "" is the category of a project the projects file does not list
  Interner orgs;        // "" likewise; an empty org is uncapped by per_org
  std::vector<std::uint32_t> project_category;  // by project index
  std::vector<std::uint32_t> project_org;       // by project index

  Catalog() {
    categories.intern("");
    orgs.intern("");
    channels.intern("cash");  // index 0: what an empty or absent channel means
  }

  static constexpr std::uint32_t kNoCategory = 0;
  static constexpr std::uint32_t kNoOrg = 0;

  std::uint32_t project(std::string_view id) { return project(id, name_hash(id)); }
  // `hash` must be name_hash(id).
  std::uint32_t project(std::string_view id, std::uint64_t hash) {
    auto [index, inserted] = projects.intern(id, hash);
    if (inserted) {
      project_category.push_back(kNoCategory);
      project_org.push_back(kNoOrg);
    }
    return index;
  }
};

}  // namespace matchfund
