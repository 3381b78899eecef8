// `matchfund serve`: the embedding API as a local HTTP/JSON service for
// platforms that do not embed C++ (docs/api.md). SIGTERM or SIGINT stops it
// gracefully: no new connections, requests in flight answered, the journal
// flushed.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include <httplib.h>

#include "apps/command_line.hpp"
#include "apps/commands.hpp"
#include "apps/serve/http_api.hpp"
#include "engine/engine.hpp"
#include "engine/error.hpp"
#include "engine/file_io.hpp"

namespace matchfund {

namespace {

std::string read_token(const cli::po::variables_map& v) {
  std::string token;
  if (v.count("token-file")) {
    token = read_file(cli::value(v, "token-file"));
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  } else if (const char* env = std::getenv("MATCHFUND_TOKEN")) {
    token = env;
  }
  if (token.empty())
    throw Error(ErrorKind::usage, "a bearer token is required: --token-file FILE or MATCHFUND_TOKEN");
  return token;
}

FsyncPolicy fsync_policy(const std::string& name) {
  if (name == "every_call") return FsyncPolicy::every_call;
  if (name == "interval") return FsyncPolicy::interval;
  if (name == "off") return FsyncPolicy::off;
  throw Error(ErrorKind::usage, "--fsync must be every_call, interval or off, not '" + name + "'");
}

}  // namespace

int serve_command(const std::vector<std::string>& args) {
  namespace po = cli::po;
  po::options_description options = cli::options_with_help(
      "Usage: matchfund serve --rules R.json --data DIR [--projects P.csv] [--listen HOST:PORT] "
      "[--token-file FILE] [--fsync every_call|interval|off] [--max-body BYTES] [--threads N]\n\n"
      "Serves the live reservation API over HTTP/JSON (docs/api.md). Every request but GET /healthz needs "
      "'Authorization: Bearer <token>', the token read from --token-file or MATCHFUND_TOKEN. Listens on "
      "127.0.0.1:8080 unless told otherwise (port 0 picks a free one); prints the address it listens on. "
      "SIGTERM or SIGINT: stops accepting, answers the requests in flight, flushes the journal, exits 0.");
  options.add_options()("rules", po::value<std::string>(), "campaign rules (JSON)")(
      "projects", po::value<std::string>(), "project categories and orgs (CSV)")(
      "data", po::value<std::string>(), "data directory (journal and snapshots)")(
      "listen", po::value<std::string>()->default_value("127.0.0.1:8080"), "address and port")(
      "token-file", po::value<std::string>(), "file holding the bearer token")(
      "fsync", po::value<std::string>()->default_value("every_call"), "journal sync policy")(
      "max-body", po::value<std::size_t>()->default_value(64 * 1024), "largest request body in bytes")(
      "threads", po::value<std::size_t>()->default_value(8), "request threads");
  po::variables_map v;
  if (!cli::parse_options(args, options, v)) {
    std::cout << options << "\n";
    return 0;
  }
  cli::require(v, {"rules", "data"});
  const std::string listen = cli::value(v, "listen");
  const auto colon = listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) port = std::atoi(listen.c_str() + colon + 1);
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535 ||
      listen.find_first_not_of("0123456789", colon + 1) != std::string::npos)
    throw Error(ErrorKind::usage, "--listen must be HOST:PORT, not '" + listen + "'");
  const std::string host = listen.substr(0, colon);
  serve::ApiOptions api;
  api.token = read_token(v);
  api.max_body = v["max-body"].as<std::size_t>();
  const std::size_t threads = std::max<std::size_t>(1, v["threads"].as<std::size_t>());

  Options engine_options;
  engine_options.rules_label = cli::value(v, "rules");
  engine_options.rules_json = read_rules_file(engine_options.rules_label);
  if (v.count("projects")) {
    engine_options.projects_label = cli::value(v, "projects");
    engine_options.projects_csv = read_csv_file(engine_options.projects_label);
  }
  engine_options.data_dir = cli::value(v, "data");
  engine_options.fsync = fsync_policy(cli::value(v, "fsync"));

  // The signals are taken by one thread with sigwait; blocked before any other thread exists.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto opened = Engine::open(std::move(engine_options));
  if (!opened.ok())
    throw Error(opened.code() == Code::rules_error ? ErrorKind::rules : ErrorKind::io, opened.message());
  std::unique_ptr<Engine> engine = std::move(opened).value();
  if (!engine->recovery().note.empty()) std::cerr << "matchfund serve: " << engine->recovery().note << "\n";

  serve::Metrics metrics;
  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);  // small JSON answers must not wait for delayed ACKs (40 ms each)
  serve::install_api(server, *engine, api, metrics);
  const int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) throw Error(ErrorKind::io, "cannot listen on " + listen);
  std::cout << "matchfund serve: listening on http://" << host << ":" << bound << std::endl;

  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
  });
  const bool served = server.listen_after_bind();
  if (!served) {
    pthread_kill(stopper.native_handle(), SIGTERM);  // the listener failed: end the waiting thread too
  }
  stopper.join();
  engine.reset();  // the journal is synced and closed before the process ends
  std::cout << "matchfund serve: stopped" << std::endl;
  return served ? 0 : 4;
}

}  // namespace matchfund
