// Fuzzes the projects CSV reader (SPEC 2, 8).
#include "engine/ingest.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace matchfund;
  fuzz::errors_only([&] {
    Catalog catalog;
    read_projects(fuzz::as_text(data, size), "projects.csv", catalog);
    if (catalog.project_category.size() < catalog.projects.size() || catalog.project_org.size() < catalog.projects.size())
      fuzz::violated("a project without a category or org slot");
  });
  return 0;
}
