// The `matchfund._matchfund` extension (pybind11): simulate and sweep for
// analysts. The Python package (python/matchfund/__init__.py) turns rules
// dicts, paths and DataFrames into the texts these functions take, and their
// column arrays into DataFrames. Allocation runs without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "engine/error.hpp"
#include "engine/ingest.hpp"
#include "engine/ledger.hpp"
#include "engine/simulation.hpp"
#include "engine/sweep/sweep.hpp"

namespace py = pybind11;
using namespace matchfund;

namespace {

// The ledger as columns: numpy arrays filled in C++, never a Python object per row.
struct ColumnSink {
  std::vector<std::int64_t> donation;
  std::vector<std::int32_t> pool;
  std::vector<std::int64_t> base, granted;
  std::vector<std::int32_t> limit;
  void row(std::uint64_t seq, std::uint32_t p, Minor b, Minor g, LimitId l) {
    donation.push_back(static_cast<std::int64_t>(seq));
    pool.push_back(static_cast<std::int32_t>(p));
    base.push_back(b);
    granted.push_back(g);
    limit.push_back(l);
  }
};

template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), free_when_done);
}

py::dict simulate(const std::string& rules, const std::string& donations, const std::string& projects) {
  Campaign campaign = parse_campaign(rules, "rules");
  Catalog catalog;
  if (!projects.empty()) read_projects(projects, "projects", catalog);
  DonationStream stream;
  ColumnSink sink;
  std::string summary;
  std::vector<std::string> pools, limits;
  {
    py::gil_scoped_release release;
    stream = read_donations(donations, "donations", campaign.minor_units, catalog);
    const Plan plan(campaign, catalog);
    Allocator allocator(plan, catalog);
    run_allocation(allocator, stream, sink);
    summary = summary_json(plan, stream, allocator);
    for (const CompiledPool& p : plan.pools()) pools.push_back(p.rules->id);
    for (LimitId l = 0; l <= plan.pool_limit(); ++l) limits.emplace_back(plan.limit_name(l));
  }
  py::list ids;
  for (std::size_t i = 0; i < stream.size(); ++i) ids.append(py::str(std::string(stream.id(i))));
  py::dict out;
  out["donation"] = to_numpy(std::move(sink.donation));
  out["pool"] = to_numpy(std::move(sink.pool));
  out["base"] = to_numpy(std::move(sink.base));
  out["granted"] = to_numpy(std::move(sink.granted));
  out["limit"] = to_numpy(std::move(sink.limit));
  out["ids"] = ids;
  out["pools"] = pools;
  out["limits"] = limits;
  out["minor_units"] = campaign.minor_units;
  out["summary"] = summary;
  return out;
}

void run_sweep(const std::vector<std::string>& rules, const std::vector<std::pair<std::string, std::vector<std::string>>>& vary,
           int seeds, const std::string& donations, const std::string& projects, const std::string& out,
           unsigned threads) {
  sweep::SweepSpec spec;
  for (std::size_t r = 0; r < rules.size(); ++r) spec.rules.push_back({"rules[" + std::to_string(r) + "]", rules[r]});
  for (const auto& [path, values] : vary) spec.axes.push_back({sweep::parse_rules_path(path), values});
  spec.seeds = seeds;
  spec.donations_label = "donations";
  spec.donations_text = donations;
  spec.projects_label = "projects";
  spec.projects_text = projects;
  spec.out_dir = out;
  spec.threads = threads;
  py::gil_scoped_release release;
  sweep::run_sweep(spec);
}

}  // namespace

PYBIND11_MODULE(_matchfund, m) {
  m.doc() = "matchfund's engine for Python: see the matchfund package";
  static py::exception<Error> error(m, "Error");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      error(e.what());
    }
  });
  m.def("simulate", &simulate, py::arg("rules"), py::arg("donations"), py::arg("projects"));
  m.def("sweep", &run_sweep, py::arg("rules"), py::arg("vary"), py::arg("seeds"), py::arg("donations"),
        py::arg("projects"), py::arg("out"), py::arg("threads"));
}
