// The embedding API over HTTP/JSON (docs/api.md, docs/openapi.json): routes,
// bearer-token authentication, strict request checking, idempotent retries,
// metrics. Every answer is JSON; errors are {"error": {"code", "message"}}
// and never carry internals.
#pragma once

#include <span>
#include <string>

#include <httplib.h>

#include "apps/serve/metrics.hpp"
#include "engine/engine.hpp"

namespace matchfund::serve {

struct Route {
  const char* method;
  const char* path;  // as docs/openapi.json writes it: "/v1/explain/{id}"
};
// Every route the server answers, in the order docs/api.md lists them.
std::span<const Route> routes();

struct ApiOptions {
  std::string token;                // requests must send "Authorization: Bearer <token>"
  std::size_t max_body = 64 * 1024;  // larger bodies get 413
};

// Registers the routes, the authentication check and the error answers on `server`.
void install_api(httplib::Server& server, Engine& engine, const ApiOptions& options, Metrics& metrics);

}  // namespace matchfund::serve
