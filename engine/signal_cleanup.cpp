#include "engine/signal_cleanup.hpp"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace matchfund {
namespace {

// SIGABRT too: an abort (std::terminate, a failed check) skips destructors as
// well. SIGBUS: a mapped input file (MappedInput) truncated while it is read.
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ, SIGABRT, SIGBUS};
constexpr int kSlots = 64;
constexpr std::size_t kPathMax = 4096;

// Written only with the signals blocked; read by the handler.
char g_paths[kSlots][kPathMax];
volatile sig_atomic_t g_used[kSlots];

sigset_t cleanup_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kSignals) sigaddset(&set, s);
  return set;
}

void on_signal(int signo) {
  for (int i = 0; i < kSlots; ++i)
    if (g_used[i]) ::unlink(g_paths[i]);
  // SA_RESETHAND restored the default action; the signal is blocked while
  // this handler runs and ends the process as soon as it returns.
  ::raise(signo);
}

}  // namespace

void install_signal_cleanup() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  for (int s : kSignals) {
    struct sigaction old {};
    if (::sigaction(s, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;  // keep an inherited "ignore"
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sa.sa_mask = cleanup_set();
    sa.sa_flags = SA_RESETHAND;
    ::sigaction(s, &sa, nullptr);
  }
}

SignalHold::SignalHold() {
  static_assert(sizeof saved_ >= sizeof(sigset_t));
  sigset_t set = cleanup_set();
  ::pthread_sigmask(SIG_BLOCK, &set, reinterpret_cast<sigset_t*>(saved_));
}

SignalHold::~SignalHold() { ::pthread_sigmask(SIG_SETMASK, reinterpret_cast<sigset_t*>(saved_), nullptr); }

int mkstemp_removed_on_signal(char* pattern, int& slot) {
  SignalHold hold;
  slot = -1;
  const int fd = ::mkstemp(pattern);
  if (fd < 0) return fd;
  const std::size_t length = std::strlen(pattern);
  if (length >= kPathMax) return fd;
  for (int i = 0; i < kSlots; ++i) {
    if (g_used[i]) continue;
    std::memcpy(g_paths[i], pattern, length + 1);
    g_used[i] = 1;
    slot = i;
    break;
  }
  return fd;
}

void forget_temporary(int slot) {
  if (slot < 0) return;
  SignalHold hold;
  g_used[slot] = 0;
}

}  // namespace matchfund
