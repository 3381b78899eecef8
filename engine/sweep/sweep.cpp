#include "engine/sweep/sweep.hpp"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/csv_writer.hpp"
#include "engine/error.hpp"
#include "engine/ingest.hpp"
#include "engine/page_cache.hpp"
#include "engine/simulation.hpp"
#include "engine/sweep/inequality.hpp"
#include "engine/sweep/scenario_metrics.hpp"

namespace matchfund::sweep {

namespace fs = std::filesystem;

namespace {

std::string describe(const SweepSpec& spec, const ScenarioKey& key) {
  std::string s = spec.rules[key.rules].label;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) s += ", " + spec.axes[a].path.text + "=" + key.values[a];
  if (key.seed) s += ", seed=" + std::to_string(key.seed);
  return s;
}

std::string number(double v) {
  if (std::isnan(v)) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error(ErrorKind::io, path.string() + ": cannot write");
}

struct Ran {
  ScenarioKey key;
  ScenarioOutcome outcome;
};

// The per-scenario files the report reads.
void write_scenario_files(const fs::path& dir, const std::string& rules, const std::string& summary,
                          const ScenarioOutcome& o, const Catalog& catalog) {
  fs::create_directories(dir);
  write_text(dir / "rules.json", rules);
  write_text(dir / "summary.json", summary);
  std::string depletion = "time";
  for (const auto& [pool, _] : o.ran_out) depletion += "," + pool;
  depletion += "\n";
  for (std::size_t b = 0; b < o.bin_end.size(); ++b) {
    depletion += format_instant(o.bin_end[b], TimeStyle{});
    for (const auto& c : o.cumulative) depletion += "," + number(c[b]);
    depletion += "\n";
  }
  write_text(dir / "depletion.csv", depletion);
  std::string lorenz = "population_share,projects,orgs\n";
  for (std::size_t k = 0; k < o.lorenz_projects.size(); ++k)
    lorenz += number(static_cast<double>(k) / static_cast<double>(o.lorenz_projects.size() - 1)) + "," +
              number(o.lorenz_projects[k]) + "," + number(o.lorenz_orgs[k]) + "\n";
  write_text(dir / "lorenz.csv", lorenz);
  std::string projects = "project,category,org,donated,matched,ratio\n";
  for (const auto& p : o.projects) {
    append_csv_field(projects, catalog.projects.name(p.index));
    projects += ',';
    append_csv_field(projects, catalog.categories.name(catalog.project_category[p.index]));
    projects += ',';
    append_csv_field(projects, catalog.orgs.name(catalog.project_org[p.index]));
    projects += "," + number(p.donated) + "," + number(p.matched) + "," + number(p.matched / p.donated) + "\n";
  }
  write_text(dir / "projects.csv", projects);
  std::string categories = "category,matched\n";
  for (const auto& [name, matched] : o.by_category) {
    append_csv_field(categories, name);
    categories += "," + number(matched) + "\n";
  }
  write_text(dir / "categories.csv", categories);
}

// Column names in first-seen order over every scenario.
std::vector<std::string> metric_columns(const std::vector<Ran>& ran) {
  std::vector<std::string> names;
  std::map<std::string, bool> seen;
  for (const Ran& r : ran)
    for (const auto& [name, _] : r.outcome.metrics)
      if (!seen[name]) {
        seen[name] = true;
        names.push_back(name);
      }
  return names;
}

void append_key_columns(std::string& out, const SweepSpec& spec, const ScenarioKey& key, std::size_t scenario) {
  out += std::to_string(scenario);
  if (spec.rules.size() > 1) {
    out += ',';
    append_csv_field(out, spec.rules[key.rules].label);
  }
  for (const std::string& v : key.values) {
    out += ',';
    append_csv_field(out, v);
  }
}

std::string key_header(const SweepSpec& spec) {
  std::string h = "scenario";
  if (spec.rules.size() > 1) h += ",rules";
  for (const Axis& a : spec.axes) {
    h += ',';
    append_csv_field(h, a.path.text);
  }
  return h;
}

void write_tables(const fs::path& dir, const SweepSpec& spec, const std::vector<Ran>& ran) {
  const std::vector<std::string> columns = metric_columns(ran);
  const std::size_t per_scenario = static_cast<std::size_t>(spec.seeds);
  auto value_of = [](const Ran& r, const std::string& column) {
    for (const auto& [name, v] : r.outcome.metrics)
      if (name == column) return v;
    return std::nan("");
  };

  std::string metrics = key_header(spec) + ",seed";
  for (const std::string& c : columns) {
    metrics += ',';
    append_csv_field(metrics, c);
  }
  metrics += "\n";
  for (std::size_t n = 0; n < ran.size(); ++n) {
    append_key_columns(metrics, spec, ran[n].key, n / per_scenario);
    metrics += "," + std::to_string(ran[n].key.seed);
    for (const std::string& c : columns) metrics += "," + number(value_of(ran[n], c));
    metrics += "\n";
  }
  write_text(dir / "metrics.csv", metrics);

  // Across seeds: mean and the 5% and 95% quantiles of each metric.
  std::string bands = key_header(spec);
  for (const std::string& c : columns)
    for (const char* stat : {":mean", ":p5", ":p95"}) {
      bands += ',';
      append_csv_field(bands, c + stat);
    }
  bands += "\n";
  for (std::size_t s = 0; s * per_scenario < ran.size(); ++s) {
    append_key_columns(bands, spec, ran[s * per_scenario].key, s);
    for (const std::string& c : columns) {
      std::vector<double> values;
      for (std::size_t k = 0; k < per_scenario; ++k) {
        const double v = value_of(ran[s * per_scenario + k], c);
        if (!std::isnan(v)) values.push_back(v);
      }
      double mean = std::nan("");
      if (!values.empty()) {
        mean = 0;
        for (double v : values) mean += v / static_cast<double>(values.size());
      }
      bands += "," + number(mean) + "," + number(quantile(values, 0.05)) + "," + number(quantile(values, 0.95));
    }
    bands += "\n";
  }
  write_text(dir / "metrics_bands.csv", bands);

  nlohmann::ordered_json index;
  index["rules"] = nlohmann::json::array();
  for (const auto& r : spec.rules) index["rules"].push_back(r.label);
  index["axes"] = nlohmann::json::array();
  for (const Axis& a : spec.axes) index["axes"].push_back({{"path", a.path.text}, {"values", a.values}});
  index["seeds"] = spec.seeds;
  index["rows"] = nlohmann::json::array();
  for (std::size_t n = 0; n < ran.size(); ++n) {
    nlohmann::ordered_json row;
    row["n"] = n;
    row["scenario"] = n / per_scenario;
    row["rules"] = spec.rules[ran[n].key.rules].label;
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (std::size_t a = 0; a < spec.axes.size(); ++a) values[spec.axes[a].path.text] = ran[n].key.values[a];
    row["values"] = std::move(values);
    row["seed"] = ran[n].key.seed;
    row["dir"] = "scenarios/" + std::to_string(n);
    index["rows"].push_back(std::move(row));
  }
  write_text(dir / "sweep.json", index.dump(2) + "\n");
}

}  // namespace

std::vector<std::string> split_values(const std::string& list) {
  std::vector<std::string> values;
  std::string current;
  bool quoted = false;
  for (char c : list) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      values.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  values.push_back(current);
  return values;
}

std::vector<std::pair<ScenarioKey, std::string>> expand_scenarios(const SweepSpec& spec) {
  std::vector<std::pair<ScenarioKey, std::string>> out;
  for (std::size_t r = 0; r < spec.rules.size(); ++r) {
    nlohmann::json base;
    try {
      base = nlohmann::json::parse(spec.rules[r].text);
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(ErrorKind::rules, spec.rules[r].label + ": not valid JSON (" + e.what() + ")");
    }
    // Odometer over the axes: the last axis varies fastest.
    std::vector<std::size_t> at(spec.axes.size(), 0);
    while (true) {
      for (int seed = spec.seeds > 1 ? 1 : 0; seed <= (spec.seeds > 1 ? spec.seeds : 0); ++seed) {
        ScenarioKey key{r, {}, seed};
        nlohmann::json rules = base;
        for (std::size_t a = 0; a < spec.axes.size(); ++a) {
          key.values.push_back(spec.axes[a].values[at[a]]);
          set_rules_field(rules, spec.axes[a].path, key.values.back());
        }
        if (seed) rules["seed"] = seed;
        std::string text = rules.dump(2) + "\n";
        try {
          parse_campaign(text, spec.rules[r].label);
        } catch (const Error& e) {
          throw Error(e.kind(), "scenario " + describe(spec, key) + ": " + e.what());
        }
        out.emplace_back(std::move(key), std::move(text));
      }
      std::size_t a = spec.axes.size();
      while (a > 0 && ++at[a - 1] == spec.axes[a - 1].values.size()) at[--a] = 0;
      if (a == 0) break;
    }
  }
  return out;
}

void run_sweep(const SweepSpec& spec) {
  const auto scenarios = expand_scenarios(spec);
  std::vector<std::unique_ptr<Campaign>> campaigns;
  for (const auto& [key, text] : scenarios)
    campaigns.push_back(std::make_unique<Campaign>(parse_campaign(text, spec.rules[key.rules].label)));
  const int minor_units = campaigns.front()->minor_units;
  for (std::size_t i = 0; i < campaigns.size(); ++i)
    if (campaigns[i]->minor_units != minor_units)
      throw Error(ErrorKind::usage, "scenario " + describe(spec, scenarios[i].first) +
                                        ": minor_units differs from the first scenario's; the stream is read once");

  const fs::path out(spec.out_dir);
  std::error_code ec;
  if (fs::exists(out) && !(fs::is_directory(out) && fs::is_empty(out)))
    throw Error(ErrorKind::usage, spec.out_dir + " already exists; choose a new --out or remove it");
  const fs::path partial = out.string() + ".partial-" + std::to_string(getpid());
  fs::remove_all(partial, ec);
  if (!fs::create_directories(partial, ec) || ec)
    throw Error(ErrorKind::io, partial.string() + ": cannot create: " + ec.message());
  struct RemoveUnlessPublished {
    fs::path dir;
    bool published = false;
    ~RemoveUnlessPublished() {
      std::error_code ignore;
      if (!published) fs::remove_all(dir, ignore);
    }
  } cleanup{partial};

  Catalog catalog;
  if (!spec.projects_text.empty()) read_projects(spec.projects_text, spec.projects_label, catalog);
  const DonationStream stream =
      read_donations(spec.donations_text, spec.donations_label, minor_units, catalog, spec.donations_consumed);
  const StreamFacts facts = stream_facts(stream, catalog, minor_units);

  std::vector<Ran> ran(scenarios.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex failure_lock;
  std::exception_ptr failure;
  auto work = [&] {
    PageCache pages;  // one scenario's counter arrays serve the next on this thread
    const PageCache::Use use(pages);
    for (std::size_t i = next++; i < scenarios.size(); i = next++) {
      try {
        const Plan plan(*campaigns[i], catalog);
        Allocator allocator(plan, catalog);
        MetricsSink sink(plan, catalog, stream, facts);
        run_allocation(allocator, stream, sink);
        ran[i] = {scenarios[i].first, sink.finish(allocator)};
        write_scenario_files(partial / "scenarios" / std::to_string(i), scenarios[i].second,
                             summary_json(plan, stream, allocator), ran[i].outcome, catalog);
      } catch (...) {
        std::lock_guard lock(failure_lock);
        if (!failure) failure = std::current_exception();
        next = scenarios.size();  // the others stop after their current scenario
      }
      const std::size_t finished = ++done;
      if (spec.progress) {
        std::lock_guard lock(failure_lock);
        spec.progress(finished, scenarios.size());
      }
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(spec.threads ? spec.threads : std::thread::hardware_concurrency(),
                                                           static_cast<unsigned>(scenarios.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  write_tables(partial, spec, ran);
  fs::remove(out, ec);  // an empty directory given as --out
  fs::rename(partial, out, ec);
  if (ec) throw Error(ErrorKind::io, spec.out_dir + ": cannot move the results in place: " + ec.message());
  cleanup.published = true;
}

}  // namespace matchfund::sweep

namespace matchfund {
template std::size_t Allocator::allocate<sweep::MetricsSink>(const DonationInput&, std::uint64_t, sweep::MetricsSink&);
}  // namespace matchfund
