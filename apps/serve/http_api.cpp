#include "apps/serve/http_api.hpp"

#include <chrono>
#include <functional>
#include <regex>

#include <nlohmann/json.hpp>

#include "apps/serve/request_body.hpp"

namespace matchfund::serve {

namespace {

using nlohmann::ordered_json;

constexpr Route kRoutes[] = {
    {"GET", "/healthz"},
    {"GET", "/metrics"},
    {"POST", "/v1/quote"},
    {"POST", "/v1/reserve"},
    {"POST", "/v1/extend"},
    {"POST", "/v1/confirm"},
    {"POST", "/v1/cancel"},
    {"POST", "/v1/refund"},
    {"GET", "/v1/explain/{id}"},
    {"POST", "/v1/top-up"},
    {"POST", "/v1/freeze"},
    {"GET", "/v1/pools"},
    {"GET", "/v1/projects/{id}"},
    {"GET", "/v1/donors/{id}"},
};

int status_of(Code code) {
  switch (code) {
    case Code::ok: return 200;
    case Code::invalid_argument: return 400;
    case Code::unknown: return 404;
    case Code::duplicate:
    case Code::not_held:
    case Code::not_confirmed:
    case Code::project_frozen: return 409;
    case Code::stale_time:
    case Code::too_large: return 422;
    default: return 503;  // the engine cannot take changes (journal, data directory)
  }
}

void send(httplib::Response& res, int status, const ordered_json& body) {
  res.status = status;
  res.set_content(body.dump() + "\n", "application/json");
}

void send_error(httplib::Response& res, int status, std::string_view code, const std::string& message) {
  ordered_json e;
  e["error"]["code"] = code;
  e["error"]["message"] = message;
  send(res, status, e);
}

struct Context {
  Engine& engine;
  int mu;
  std::string amount(Minor v) const { return format_amount(v, mu); }
};

std::string time_text(Micros t) { return format_instant(t, TimeStyle{}); }

Micros now_utc() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The call's time: the "time" field when given, else the server's clock.
Micros call_time(const RequestBody& body, const char* field = "time") {
  return body.optional_text(field).empty() ? now_utc() : body.time(field);
}

ordered_json allocation_json(const Context& c, std::string_view id, const Allocation& a, bool deadline) {
  ordered_json out;
  out["id"] = id;
  ordered_json grants = ordered_json::array();
  for (const PoolGrant& g : a.grants)
    grants.push_back({{"pool", g.pool}, {"base", c.amount(g.base)}, {"amount", c.amount(g.amount)}, {"limit", g.limit}});
  out["grants"] = std::move(grants);
  out["total"] = c.amount(a.total);
  if (deadline) out["deadline"] = time_text(a.deadline);
  return out;
}

ordered_json settlement_json(const Context& c, const Settlement& s, std::string_view state) {
  ordered_json out;
  out["id"] = s.id;
  out["state"] = state;
  ordered_json rows = ordered_json::array();
  for (const PoolAmount& r : s.rows) rows.push_back({{"pool", r.pool}, {"amount", c.amount(r.amount)}});
  out["rows"] = std::move(rows);
  out["total"] = c.amount(s.total);
  return out;
}

ordered_json explanation_json(const Context& c, const Explanation& e) {
  ordered_json out;
  out["id"] = e.id;
  out["donor"] = e.donor;
  out["project"] = e.project;
  out["channel"] = e.channel;
  out["amount"] = c.amount(e.amount);
  out["time"] = time_text(e.time);
  out["state"] = hold_state_name(e.state);
  out["made"] = time_text(e.made);
  out["deadline"] = time_text(e.deadline);
  ordered_json pools = ordered_json::array();
  for (const PoolExplanation& p : e.pools) {
    ordered_json j;
    j["pool"] = p.pool;
    j["eligible"] = p.eligible;
    if (!p.eligible) {
      j["reason"] = p.reason;
    } else {
      j["base"] = c.amount(p.base);
      j["amount"] = c.amount(p.amount);
      j["limit"] = p.limit;
      ordered_json headrooms = ordered_json::array();
      for (const Headroom& h : p.headrooms)
        headrooms.push_back({{"limit", h.limit}, {"headroom", h.amount ? ordered_json(c.amount(*h.amount)) : ordered_json()}});
      j["headrooms"] = std::move(headrooms);
    }
    pools.push_back(std::move(j));
  }
  out["pools"] = std::move(pools);
  out["total"] = c.amount(e.total);
  return out;
}

// A retried reserve of the same donation gets the answer the first one got
// (its grants are in the engine's explanation, which survives restarts).
std::optional<ordered_json> replayed_reserve(const Context& c, const Donation& d) {
  auto e = c.engine.explain(d.id);
  if (!e.ok()) return std::nullopt;
  const std::string channel = d.channel.empty() ? "cash" : std::string(d.channel);
  if (e->donor != d.donor || e->project != d.project || e->channel != channel || e->amount != d.amount ||
      e->time != d.time)
    return std::nullopt;
  Allocation a;
  for (const PoolExplanation& p : e->pools)
    if (p.eligible) a.grants.push_back({p.pool, p.base, p.amount, p.limit});
  a.total = e->total;
  a.deadline = e->deadline;
  return allocation_json(c, d.id, a, true);
}

// A retried confirm, cancel or refund that already happened gets its answer again.
std::optional<ordered_json> replayed_settlement(const Context& c, const std::string& id, HoldState done) {
  auto e = c.engine.explain(id);
  if (!e.ok() || e->state != done) return std::nullopt;
  Settlement s;
  s.id = id;
  for (const PoolExplanation& p : e->pools)
    if (p.eligible) s.rows.push_back({p.pool, p.amount});
  s.total = e->total;
  return settlement_json(c, s, hold_state_name(done));
}

using Handler = std::function<void(const Context&, const httplib::Request&, httplib::Response&)>;

void donation_call(const Context& c, const httplib::Request& req, httplib::Response& res, bool hold) {
  RequestBody body(req.body, {"id", "donor", "project", "channel", "amount", "time"});
  const std::string id = body.text("id"), donor = body.text("donor"), project = body.text("project"),
                    channel = body.optional_text("channel");
  const Donation d{id, donor, project, channel, body.amount("amount", c.mu), call_time(body)};
  auto result = hold ? c.engine.reserve(d) : c.engine.quote(d);
  if (result.ok()) return send(res, 200, allocation_json(c, id, *result, hold));
  if (hold && result.code() == Code::duplicate)
    if (auto again = replayed_reserve(c, d)) return send(res, 200, *again);
  send_error(res, status_of(result.code()), code_name(result.code()), result.message());
}

void settle_call(const Context& c, const httplib::Request& req, httplib::Response& res, HoldState done) {
  RequestBody body(req.body, {"id", "time"});
  const std::string id = body.text("id");
  const Micros now = call_time(body);
  auto result = done == HoldState::confirmed   ? c.engine.confirm(id, now)
                : done == HoldState::cancelled ? c.engine.cancel(id, now)
                                               : c.engine.refund(id, now);
  if (result.ok()) return send(res, 200, settlement_json(c, *result, hold_state_name(done)));
  if (result.code() == Code::not_held || result.code() == Code::not_confirmed)
    if (auto again = replayed_settlement(c, id, done)) return send(res, 200, *again);
  send_error(res, status_of(result.code()), code_name(result.code()), result.message());
}

ordered_json match_totals_json(const Context& c, std::string_view id, const MatchTotals& t) {
  return {{"id", id}, {"held", c.amount(t.held)}, {"confirmed", c.amount(t.confirmed)}};
}

// The handler of each route, in kRoutes order.
std::vector<Handler> handlers(Metrics& metrics) {
  return {
      [](const Context&, const httplib::Request&, httplib::Response& res) { send(res, 200, {{"status", "ok"}}); },
      [&metrics](const Context& c, const httplib::Request&, httplib::Response& res) {
        res.status = 200;
        res.set_content(metrics.render(c.engine.pool_totals(), c.mu), "text/plain; version=0.0.4");
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) { donation_call(c, req, res, false); },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) { donation_call(c, req, res, true); },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        RequestBody body(req.body, {"id", "time"});
        const std::string id = body.text("id");
        auto result = c.engine.extend(id, call_time(body));
        if (!result.ok()) return send_error(res, status_of(result.code()), code_name(result.code()), result.message());
        send(res, 200, {{"id", id}, {"deadline", time_text(*result)}});
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        settle_call(c, req, res, HoldState::confirmed);
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        settle_call(c, req, res, HoldState::cancelled);
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        settle_call(c, req, res, HoldState::refunded);
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        auto e = c.engine.explain(req.matches[1].str());
        if (!e.ok()) return send_error(res, status_of(e.code()), code_name(e.code()), e.message());
        send(res, 200, explanation_json(c, *e));
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        RequestBody body(req.body, {"pool", "amount"});
        const std::string pool = body.text("pool");
        auto result = c.engine.top_up(pool, body.amount("amount", c.mu));
        if (!result.ok()) return send_error(res, status_of(result.code()), code_name(result.code()), result.message());
        for (const PoolTotals& t : c.engine.pool_totals())
          if (t.pool == pool) return send(res, 200, {{"pool", pool}, {"budget", c.amount(t.budget)}});
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        RequestBody body(req.body, {"project", "claw_back"});
        const std::string project = body.text("project");
        auto result = c.engine.freeze(project, body.flag("claw_back", false));
        if (!result.ok()) return send_error(res, status_of(result.code()), code_name(result.code()), result.message());
        ordered_json released = ordered_json::array();
        for (const Settlement& s : *result) released.push_back({{"id", s.id}, {"total", c.amount(s.total)}});
        send(res, 200, {{"project", project}, {"released", std::move(released)}});
      },
      [](const Context& c, const httplib::Request&, httplib::Response& res) {
        ordered_json pools = ordered_json::array();
        for (const PoolTotals& t : c.engine.pool_totals())
          pools.push_back({{"pool", t.pool}, {"budget", c.amount(t.budget)}, {"unlocked", c.amount(t.unlocked)},
                           {"held", c.amount(t.held)}, {"confirmed", c.amount(t.confirmed)},
                           {"released", c.amount(t.released)}, {"available", c.amount(t.available)}});
        send(res, 200, {{"clock", time_text(c.engine.clock())}, {"pools", std::move(pools)}});
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1].str();
        send(res, 200, match_totals_json(c, id, c.engine.project_totals(id)));
      },
      [](const Context& c, const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1].str();
        send(res, 200, match_totals_json(c, id, c.engine.donor_totals(id)));
      },
  };
}

// "/v1/explain/{id}" -> the regex httplib matches: one path segment per parameter.
std::string pattern_of(std::string_view path) {
  static const std::regex parameter(R"(\{[a-z_]+\})");
  return std::regex_replace(std::string(path), parameter, "([^/]+)");
}

bool same_token(std::string_view a, std::string_view b) {
  // Constant time in the content, so the comparison does not leak where they differ.
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

}  // namespace

std::span<const Route> routes() { return kRoutes; }

void install_api(httplib::Server& server, Engine& engine, const ApiOptions& options, Metrics& metrics) {
  server.set_payload_max_length(options.max_body);
  const std::string expected = "Bearer " + options.token;
  server.set_pre_routing_handler([expected](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/healthz" || same_token(req.get_header_value("Authorization"), expected))
      return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "unauthorized", "send the bearer token: Authorization: Bearer <token>");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;  // an answer of ours, e.g. 404 unknown donation
    const int status = res.status;
    const char* code = status == 404 ? "not_found" : status == 413 ? "too_large" : status == 405 ? "method_not_allowed"
                                                                                                 : "bad_request";
    send_error(res, status, code, status == 413 ? "the request body is too large" : "no such endpoint or method");
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, "internal", "the request could not be handled");  // no internals in answers
  });

  auto shared = std::make_shared<std::vector<Handler>>(handlers(metrics));
  auto context = std::make_shared<Context>(Context{engine, engine.minor_units()});
  for (std::size_t i = 0; i < std::size(kRoutes); ++i) {
    const Route route = kRoutes[i];
    auto handle = [shared, context, route, i, &metrics](const httplib::Request& req, httplib::Response& res) {
      const auto start = std::chrono::steady_clock::now();
      try {
        (*shared)[i](*context, req, res);
      } catch (const BadRequest& e) {
        send_error(res, 400, "bad_request", e.message);
      }
      metrics.observe(route.path, res.status,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
    const std::string pattern = pattern_of(route.path);
    if (std::string_view(route.method) == "GET") server.Get(pattern, handle);
    else server.Post(pattern, handle);
  }
}

}  // namespace matchfund::serve
