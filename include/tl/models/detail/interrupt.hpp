#pragma once
// Ctrl-C during `fit`: the first SIGINT asks fit to stop after the current batch (callbacks' on_train_end still
// runs, so checkpoints are flushed, and the History so far is returned); a second one kills as usual.
#include <tl/core/config.hpp>

#include <csignal>

namespace tl::models::detail {

/// Installs the SIGINT handler for its lifetime and restores the previous one after. A process that ignores
/// SIGINT (started with nohup or in the background) keeps ignoring it.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// Whether Ctrl-C was pressed during the current fit; says so on stderr the first time it is seen.
  static bool requested();

 private:
  static volatile std::sig_atomic_t& flag();

  struct sigaction previous_ {};
  bool installed_ = false;
};

}  // namespace tl::models::detail

#ifdef TL_HEADER_ONLY
#include <tl/models/detail/impl/interrupt-inl.hpp>
#endif
