// The process the crash test kills: opens the engine on a data directory and
// makes calls from the crash script until it is killed, writing the index of
// every call to standard output once the call has returned (acknowledged).
//   crash_child DIR SEED ROUND POLICY(every_call|interval|off)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/crash/crash_script.hpp"

int main(int argc, char** argv) {
  using namespace matchfund;
  if (argc != 5) return 2;
  Options options;
  options.rules_json = crash::kRules;
  options.data_dir = argv[1];
  const std::uint64_t seed = std::strtoull(argv[2], nullptr, 10);
  const std::uint64_t round = std::strtoull(argv[3], nullptr, 10);
  const std::string policy = argv[4];
  options.fsync = policy == "every_call" ? FsyncPolicy::every_call
                  : policy == "interval"  ? FsyncPolicy::interval
                                          : FsyncPolicy::off;
  options.snapshot_every = 200;
  auto opened = Engine::open(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "crash_child: %s\n", opened.message().c_str());
    return 3;
  }
  Engine& engine = *opened.value();
  for (std::int64_t i = 0;; ++i) {
    crash::make_call(engine, crash::call_at(seed, round, i));
    const std::string ack = std::to_string(i) + "\n";
    if (::write(1, ack.data(), ack.size()) != static_cast<ssize_t>(ack.size())) return 4;
  }
}
