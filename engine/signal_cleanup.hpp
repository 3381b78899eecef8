// Removing temporary outputs when a signal ends the process (docs/reliability.md).
// AtomicOutput registers each temporary here; the command line installs the
// handlers. On SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ, SIGABRT or SIGBUS the handler unlinks
// every registered temporary, then lets the signal end the process as it
// would have (the shell reports 128 + the signal number: 130, 143, ...).
#pragma once

namespace matchfund {

// Installs the handlers (once; later calls do nothing). Without them a
// signal still ends the process, but temporaries stay behind.
void install_signal_cleanup();

// mkstemp(pattern), with the new file registered for removal on a signal;
// the signals are blocked between the two, so no signal can fall in between.
// `slot` receives the registration (-1 when the file could not be registered:
// the table is full or the path too long; it is then not removed on a signal).
int mkstemp_removed_on_signal(char* pattern, int& slot);

// Ends a registration, after the temporary was renamed or removed.
void forget_temporary(int slot);

// While alive, the cleanup signals are held back (delivered when it ends), so
// that a group of renames happens entirely or not at all.
class SignalHold {
 public:
  SignalHold();
  ~SignalHold();
  SignalHold(const SignalHold&) = delete;
  SignalHold& operator=(const SignalHold&) = delete;

 private:
  unsigned long long saved_[16];  // the previous sigset_t (128 bytes)
};

}  // namespace matchfund
