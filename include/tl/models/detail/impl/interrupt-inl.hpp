#pragma once
#include <tl/models/detail/interrupt.hpp>

#include <iostream>

namespace tl::models::detail {

TL_INLINE InterruptGuard::InterruptGuard() {
  flag() = 0;
  struct sigaction action {};
  action.sa_handler = [](int) { flag() = 1; };
  action.sa_flags = SA_RESETHAND;  // the handler runs once: the next Ctrl-C gets the default action (kill)
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, nullptr, &previous_);
  installed_ = previous_.sa_handler != SIG_IGN && sigaction(SIGINT, &action, nullptr) == 0;
}

TL_INLINE InterruptGuard::~InterruptGuard() {
  if (installed_) sigaction(SIGINT, &previous_, nullptr);
  flag() = 0;
}

TL_INLINE bool InterruptGuard::requested() {
  if (flag() == 1) {
    flag() = 2;
    std::cerr << "\nInterrupted (Ctrl-C): training stops after this batch. Press Ctrl-C again to kill." << std::endl;
  }
  return flag() != 0;
}

TL_INLINE volatile std::sig_atomic_t& InterruptGuard::flag() {
  static volatile std::sig_atomic_t value = 0;
  return value;
}

}  // namespace tl::models::detail
