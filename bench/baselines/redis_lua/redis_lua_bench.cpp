// The Redis + Lua baseline: what production platforms do on the hot path, one
// atomic check-and-decrement script (match.lua) per donation. Reads a dataset
// made by `matchfund generate`, keeps the rules' daily platform pools (one pool
// per day, a per-donor daily cap, a per-project cap, the budget; the match at
// 1:1), and sends one EVALSHA per donation to a Redis server, first one call at
// a time (request/response), then pipelined in batches. Prints one JSON line
// per mode; checks the total granted against the same rules computed here.
//
// Usage: redis_lua_bench [--dataset DIR] [--host H] [--port P] [--limit N]
//                        [--seconds S] [--batch B] [--script FILE]
// The dataset defaults to MATCHFUND_DATASET. The server is flushed (FLUSHALL).
#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/error.hpp"
#include "engine/file_io.hpp"
#include "engine/ingest.hpp"
#include "engine/rules.hpp"

#ifndef MATCHFUND_REDIS_LUA_SCRIPT
#define MATCHFUND_REDIS_LUA_SCRIPT "bench/baselines/redis_lua/match.lua"
#endif

namespace matchfund::bench {
namespace {

struct Options {
  std::string dataset;
  std::string host = "127.0.0.1";
  int port = 6379;
  std::size_t limit = 1'000'000;
  double seconds = 120;
  std::size_t batch = 1000;
  std::string script = MATCHFUND_REDIS_LUA_SCRIPT;
};

[[noreturn]] void usage(const std::string& message) {
  std::cerr << "redis_lua_bench: " << message << "\n"
            << "usage: redis_lua_bench [--dataset DIR] [--host H] [--port P] [--limit N] [--seconds S]"
               " [--batch B] [--script FILE]\n";
  std::exit(1);
}

Options parse_options(int argc, char** argv) {
  Options o;
  if (const char* d = std::getenv("MATCHFUND_DATASET")) o.dataset = d;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    auto number = [&](double lo, double hi) {
      std::string v = value();
      char* end = nullptr;
      double x = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(x >= lo && x <= hi)) usage(a + ": bad value " + v);
      return x;
    };
    if (a == "--dataset") o.dataset = value();
    else if (a == "--host") o.host = value();
    else if (a == "--port") o.port = static_cast<int>(number(1, 65535));
    else if (a == "--limit") o.limit = static_cast<std::size_t>(number(1, 1e12));
    else if (a == "--seconds") o.seconds = number(0.001, 86400);
    else if (a == "--batch") o.batch = static_cast<std::size_t>(number(1, 1e6));
    else if (a == "--script") o.script = value();
    else if (a == "--help" || a == "-h") usage("help");
    else usage("unknown argument " + a);
  }
  if (o.dataset.empty()) usage("no dataset: pass --dataset DIR or set MATCHFUND_DATASET");
  return o;
}

// One daily platform pool, as the script sees it (all money in minor units).
struct DayPool {
  std::string id;
  Minor budget = 0;
  Minor donor_cap = 0, project_cap = 0;
  bool donor_cap_per_day = false, project_cap_per_day = false;
  std::int64_t ratio_micros = 1'000'000;
  Micros start = 0, end = 0;
  Minor min_donation = 0;
  std::vector<std::string> channels;  // empty: every channel
  std::int64_t day = 0;               // local day of the window's start
};

Micros instant(const Json& j, const std::string& what) {
  auto t = parse_instant(j.get<std::string>());
  if (!t) throw Error(ErrorKind::rules, "rules.json: " + what + ": not an RFC 3339 time");
  return t->utc;
}

// The pools of the rules that have the daily platform pool's shape: one window,
// no daily hours, releases or project/category/org eligibility, caps among
// per_donor and per_project. Their match is taken as 1:1 (the brief of this
// baseline; the generated rules draw a random ratio between 0.5 and 1.5,
// whose mean is 1).
std::vector<DayPool> day_pools(const std::string& rules_text, const Campaign& campaign) {
  const Json root = Json::parse(rules_text);
  std::vector<DayPool> out;
  for (std::size_t i = 0; i < campaign.pools.size(); ++i) {
    const PoolRules& rules = campaign.pools[i];
    const Json& p = root["pools"][i];
    const Json windows = p.value("windows", Json::array());
    const Json eligible = p.value("eligible", Json::object());
    if (windows.size() != 1 || p.contains("daily_hours") || p.contains("releases") || rules.releases) continue;
    if (eligible.contains("projects") || eligible.contains("exclude_projects") || eligible.contains("categories") ||
        eligible.contains("orgs"))
      continue;
    const Json& match = p["match"];
    if (!match.contains("ratio") && !match.contains("random")) continue;
    bool shape = true;
    DayPool d;
    d.id = rules.id;
    d.budget = rules.budget;
    d.donor_cap = d.project_cap = rules.budget;  // no cap: the budget bounds it
    for (const PoolRules::Cap& cap : rules.caps) {
      if (!cap.spec.project_overrides.empty() || !cap.spec.limit) shape = false;
      else if (cap.name == "per_donor") d.donor_cap = *cap.spec.limit, d.donor_cap_per_day = cap.spec.period == Period::day;
      else if (cap.name == "per_project") d.project_cap = *cap.spec.limit, d.project_cap_per_day = cap.spec.period == Period::day;
      else shape = false;
    }
    if (!shape) continue;
    if (match.contains("ratio")) {
      RatioResult r = parse_ratio(match["ratio"].get<std::string>());
      if (r.failure) throw Error(ErrorKind::rules, "rules.json: pools[" + std::to_string(i) + "].match.ratio: bad ratio");
      d.ratio_micros = r.value.micros;
    }
    d.start = instant(windows[0]["start"], "pools[" + std::to_string(i) + "].windows[0].start");
    d.end = instant(windows[0]["end"], "pools[" + std::to_string(i) + "].windows[0].end");
    if (eligible.contains("min_donation")) {
      AmountResult a = parse_amount(eligible["min_donation"].get<std::string>(), campaign.minor_units);
      if (a.failure) throw Error(ErrorKind::rules, "rules.json: pools[" + std::to_string(i) + "].eligible.min_donation");
      d.min_donation = a.value;
    }
    if (eligible.contains("channels")) d.channels = eligible["channels"].get<std::vector<std::string>>();
    else d.channels = {"*"};
    d.day = local_day(d.start, campaign.utc_offset);
    out.push_back(std::move(d));
  }
  return out;
}

struct Reply {
  redisReply* r;
  explicit Reply(void* p) : r(static_cast<redisReply*>(p)) {}
  ~Reply() {
    if (r) freeReplyObject(r);
  }
  Reply(Reply&& o) noexcept : r(o.r) { o.r = nullptr; }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
};

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "redis_lua_bench: " << message << "\n";
  std::exit(4);
}

Reply command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const std::string& a : args) argv.push_back(a.data()), lens.push_back(a.size());
  Reply reply(redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data()));
  if (!reply.r) fail(std::string("redis: ") + c->errstr);
  if (reply.r->type == REDIS_REPLY_ERROR) fail("redis " + args[0] + ": " + std::string(reply.r->str, reply.r->len));
  return reply;
}

// Builds one donation's EVALSHA arguments. This runs inside the timed loops: a
// platform formats its request too, so that cost is part of what is measured.
class Workload {
 public:
  Workload(const DonationStream& stream, const Catalog& catalog, const std::vector<DayPool>& pools, Micros offset)
      : stream_(stream), catalog_(catalog), pools_(pools), offset_(offset) {
    for (std::size_t p = 0; p < pools_.size(); ++p) by_day_[pools_[p].day] = static_cast<int>(p);
  }

  // Fills the ten EVALSHA arguments of donation i into `buf` (reused).
  void fill(std::size_t i, const std::string& sha, std::vector<std::string>& buf) const {
    buf.resize(10);
    const std::int64_t day = local_day(stream_.time[i], offset_);
    auto it = by_day_.find(day);
    const std::string_view donor = catalog_.donors.name(stream_.donor[i]);
    const std::string_view project = catalog_.projects.name(stream_.project[i]);
    const std::string d = std::to_string(day);
    buf[0] = "EVALSHA";
    buf[1] = sha;
    buf[2] = "4";
    if (it == by_day_.end()) {  // no pool that day: the script finds no rules and grants 0
      buf[3] = "pool:-";
      buf[4] = "granted:-";
      buf[5] = "donor:-";
      buf[6] = "project:-";
    } else {
      const DayPool& pool = pools_[it->second];
      buf[3] = "pool:" + pool.id;
      buf[4] = "granted:" + pool.id;
      buf[5].assign("donor:").append(pool.id).append(":");
      if (pool.donor_cap_per_day) buf[5].append(d).append(":");
      buf[5].append(donor);
      buf[6].assign("project:").append(pool.id).append(":");
      if (pool.project_cap_per_day) buf[6].append(d).append(":");
      buf[6].append(project);
    }
    buf[7] = std::to_string(stream_.amount[i]);
    buf[8] = std::to_string(stream_.time[i]);
    buf[9] = std::string(catalog_.channels.name(stream_.channel[i]));
  }

  // The same rules computed here, to check the script's total: the matched
  // cents of the first n donations.
  Minor reference(std::size_t n) const {
    std::vector<Minor> granted(pools_.size(), 0);
    std::unordered_map<std::string, Minor> donor_used, project_used;
    Minor total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t day = local_day(stream_.time[i], offset_);
      auto it = by_day_.find(day);
      if (it == by_day_.end()) continue;
      const DayPool& pool = pools_[it->second];
      const Minor amount = stream_.amount[i];
      const Micros t = stream_.time[i];
      const std::string_view channel = catalog_.channels.name(stream_.channel[i]);
      bool channel_ok = pool.channels.size() == 1 && pool.channels[0] == "*";
      for (const std::string& c : pool.channels) channel_ok |= c == channel;
      if (t < pool.start || t >= pool.end || amount < pool.min_donation || !channel_ok) continue;
      Minor grant = static_cast<Minor>(static_cast<Wide>(amount) * pool.ratio_micros / kRatioScale);
      const std::string dk = pool.id + ":" + (pool.donor_cap_per_day ? std::to_string(day) : "") + ":" +
                             std::string(catalog_.donors.name(stream_.donor[i]));
      const std::string pk = pool.id + ":" + (pool.project_cap_per_day ? std::to_string(day) : "") + ":" +
                             std::string(catalog_.projects.name(stream_.project[i]));
      grant = std::min({grant, pool.donor_cap - donor_used[dk], pool.project_cap - project_used[pk],
                        pool.budget - granted[it->second]});
      if (grant <= 0) continue;
      donor_used[dk] += grant;
      project_used[pk] += grant;
      granted[it->second] += grant;
      total += grant;
    }
    return total;
  }

  std::size_t size() const { return stream_.size(); }

 private:
  const DonationStream& stream_;
  const Catalog& catalog_;
  const std::vector<DayPool>& pools_;
  Micros offset_;
  std::unordered_map<std::int64_t, int> by_day_;
};

// FLUSHALL, the pools' rules, SCRIPT LOAD; returns the script's SHA1.
std::string prepare(redisContext* c, const std::vector<DayPool>& pools, const std::string& script) {
  command(c, {"FLUSHALL"});
  for (const DayPool& p : pools) {
    std::vector<std::string> args = {"HSET",        "pool:" + p.id,
                                     "budget",      std::to_string(p.budget),
                                     "donor_cap",   std::to_string(p.donor_cap),
                                     "project_cap", std::to_string(p.project_cap),
                                     "ratio_micros", std::to_string(p.ratio_micros),
                                     "start_us",    std::to_string(p.start),
                                     "end_us",      std::to_string(p.end),
                                     "min_cents",   std::to_string(p.min_donation)};
    for (const std::string& ch : p.channels) args.push_back("ch:" + ch), args.push_back("1");
    command(c, args);
  }
  Reply sha = command(c, {"SCRIPT", "LOAD", script});
  if (sha.r->type != REDIS_REPLY_STRING) fail("SCRIPT LOAD did not return a SHA1");
  return std::string(sha.r->str, sha.r->len);
}

Minor grant_of(const redisReply* r, std::size_t i) {
  if (r->type == REDIS_REPLY_INTEGER) return r->integer;
  std::string what = r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len) : "a reply of type " + std::to_string(r->type);
  fail("EVALSHA of donation " + std::to_string(i) + ": " + what);
}

struct Result {
  std::size_t donations = 0;
  double seconds = 0;
  Minor matched = 0;
  const char* stopped_by = "limit";
};

using Clock = std::chrono::steady_clock;

Result run_unpipelined(redisContext* c, const Workload& w, const std::string& sha, std::size_t n, double budget) {
  Result res;
  std::vector<std::string> buf;
  std::vector<const char*> argv(10);
  std::vector<std::size_t> lens(10);
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
  std::size_t i = 0;
  for (; i < n; ++i) {
    if ((i & 63) == 0 && Clock::now() >= deadline) {
      res.stopped_by = "time";
      break;
    }
    w.fill(i, sha, buf);
    for (int k = 0; k < 10; ++k) argv[k] = buf[k].data(), lens[k] = buf[k].size();
    Reply reply(redisCommandArgv(c, 10, argv.data(), lens.data()));
    if (!reply.r) fail(std::string("redis: ") + c->errstr);
    res.matched += grant_of(reply.r, i);
  }
  res.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  res.donations = i;
  return res;
}

Result run_pipelined(redisContext* c, const Workload& w, const std::string& sha, std::size_t n, double budget,
                     std::size_t batch) {
  Result res;
  std::vector<std::string> buf;
  std::vector<const char*> argv(10);
  std::vector<std::size_t> lens(10);
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
  std::size_t i = 0;
  while (i < n) {
    if (Clock::now() >= deadline) {
      res.stopped_by = "time";
      break;
    }
    const std::size_t end = std::min(n, i + batch);
    for (std::size_t j = i; j < end; ++j) {
      w.fill(j, sha, buf);
      for (int k = 0; k < 10; ++k) argv[k] = buf[k].data(), lens[k] = buf[k].size();
      if (redisAppendCommandArgv(c, 10, argv.data(), lens.data()) != REDIS_OK) fail(std::string("redis: ") + c->errstr);
    }
    for (std::size_t j = i; j < end; ++j) {
      void* p = nullptr;
      if (redisGetReply(c, &p) != REDIS_OK) fail(std::string("redis: ") + c->errstr);
      Reply reply(p);
      res.matched += grant_of(reply.r, j);
    }
    i = end;
  }
  res.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  res.donations = i;
  return res;
}

std::string json_line(const char* mode, const Result& r, std::size_t batch, Minor expected) {
  std::ostringstream o;
  o.precision(6);
  o << std::fixed;
  o << "{\"mode\":\"" << mode << "\",\"donations\":" << r.donations << ",\"seconds\":" << r.seconds
    << ",\"per_second\":" << (r.seconds > 0 ? static_cast<double>(r.donations) / r.seconds : 0.0)
    << ",\"matched_cents\":" << r.matched << ",\"expected_matched_cents\":" << expected << ",\"batch\":" << batch
    << ",\"stopped_by\":\"" << r.stopped_by << "\"}";
  return o.str();
}

int run(const Options& o) {
  const std::string rules_text = read_file(o.dataset + "/rules.json");
  const std::string projects_text = read_file(o.dataset + "/projects.csv");
  const std::string donations_text = read_file(o.dataset + "/donations.csv");
  const std::string script = read_file(o.script);
  const Campaign campaign = parse_campaign(rules_text, "rules.json");
  Catalog catalog;
  read_projects(projects_text, "projects.csv", catalog);
  const DonationStream stream = read_donations(donations_text, "donations.csv", campaign.minor_units, catalog);
  std::vector<DayPool> pools = day_pools(rules_text, campaign);
  if (pools.empty()) fail(o.dataset + "/rules.json has no pool of the daily platform pool's shape");
  // A pool that matches every channel lists the stream's channels for the script.
  for (DayPool& p : pools)
    if (p.channels.size() == 1 && p.channels[0] == "*") {
      p.channels.clear();
      for (std::uint32_t ch = 0; ch < catalog.channels.size(); ++ch) p.channels.emplace_back(catalog.channels.name(ch));
    }
  std::cerr << "redis_lua_bench: " << stream.size() << " donations, pools";
  for (const DayPool& p : pools) std::cerr << " " << p.id;
  std::cerr << "\n";

  const std::size_t n = std::min(o.limit, stream.size());
  const Workload workload(stream, catalog, pools, campaign.utc_offset);

  timeval timeout{10, 0};
  redisContext* c = redisConnectWithTimeout(o.host.c_str(), o.port, timeout);
  if (!c || c->err) fail("cannot connect to " + o.host + ":" + std::to_string(o.port) + ": " + (c ? c->errstr : "out of memory"));
  std::unique_ptr<redisContext, void (*)(redisContext*)> guard(c, redisFree);
  redisSetTimeout(c, timeval{60, 0});

  int status = 0;
  auto report = [&](const char* mode, const Result& r, std::size_t batch) {
    const Minor expected = workload.reference(r.donations);
    std::cout << json_line(mode, r, batch, expected) << std::endl;
    if (r.matched != expected) {
      std::cerr << "redis_lua_bench: " << mode << ": the script matched " << r.matched << " cents, the same rules give "
                << expected << "\n";
      status = 5;
    }
  };

  std::string sha = prepare(c, pools, script);
  report("unpipelined", run_unpipelined(c, workload, sha, n, o.seconds), 1);
  sha = prepare(c, pools, script);
  report("pipelined", run_pipelined(c, workload, sha, n, o.seconds, o.batch), o.batch);
  return status;
}

}  // namespace
}  // namespace matchfund::bench

int main(int argc, char** argv) {
  const matchfund::bench::Options options = matchfund::bench::parse_options(argc, argv);
  try {
    return matchfund::bench::run(options);
  } catch (const matchfund::Error& e) {
    std::cerr << "redis_lua_bench: " << e.what() << "\n";
    return e.exit_status();
  } catch (const std::exception& e) {
    std::cerr << "redis_lua_bench: " << e.what() << "\n";
    return 4;
  }
}
