#pragma once
// Ctrl-C during `fit`: the first SIGINT asks fit to stop after the current batch (callbacks' on_train_end still
// runs, so checkpoints are flushed, and the History so far is returned); a second one kills as usual.
#include <csignal>
#include <iostream>

namespace tl::models::detail {

/// Installs the SIGINT handler for its lifetime and restores the previous one after. A process that ignores
/// SIGINT (started with nohup or in the background) keeps ignoring it.
class InterruptGuard {
 public:
  InterruptGuard() {
    flag() = 0;
    struct sigaction action {};
    action.sa_handler = [](int) { flag() = 1; };
    action.sa_flags = SA_RESETHAND;  // the handler runs once: the next Ctrl-C gets the default action (kill)
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, nullptr, &previous_);
    installed_ = previous_.sa_handler != SIG_IGN && sigaction(SIGINT, &action, nullptr) == 0;
  }
  ~InterruptGuard() {
    if (installed_) sigaction(SIGINT, &previous_, nullptr);
    flag() = 0;
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// Whether Ctrl-C was pressed during the current fit; says so on stderr the first time it is seen.
  static bool requested() {
    if (flag() == 1) {
      flag() = 2;
      std::cerr << "\nInterrupted (Ctrl-C): training stops after this batch. Press Ctrl-C again to kill." << std::endl;
    }
    return flag() != 0;
  }

 private:
  static volatile std::sig_atomic_t& flag() {
    static volatile std::sig_atomic_t value = 0;
    return value;
  }

  struct sigaction previous_ {};
  bool installed_ = false;
};

}  // namespace tl::models::detail
