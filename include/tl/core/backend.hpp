#pragma once
// Process-wide state Keras keeps in `keras.backend`: unique layer names and the thread count.
#include <tl/core/errors.hpp>

#include <torch/torch.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <thread>

namespace tl::backend {

namespace detail {
struct State {
  std::mutex mutex;
  std::map<std::string, int> uids;
  bool threads_set = false;
};
inline State& state() {
  static State s;
  return s;
}
}  // namespace detail

/// Keras's `backend.get_uid(prefix)`: 1 on the first call for a prefix, then 2, 3, ...
inline int get_uid(const std::string& prefix) {
  auto& s = detail::state();
  std::lock_guard lock(s.mutex);
  return ++s.uids[prefix];
}

/// Resets the generated layer names, as `keras.backend.clear_session()`.
inline void clear_session() {
  auto& s = detail::state();
  std::lock_guard lock(s.mutex);
  s.uids.clear();
}

/// Sets the number of threads LibTorch uses for one operation (default: every core).
inline void set_num_threads(int n) {
  tl::detail::check(n > 0, "set_num_threads: the number of threads must be positive, got " + std::to_string(n));
  torch::set_num_threads(n);
  detail::state().threads_set = true;
}

/// Applies the default thread count once, unless the user chose one (set_num_threads or OMP_NUM_THREADS):
/// LibTorch 1.13 otherwise runs on one thread.
inline void ensure_threads() {
  auto& s = detail::state();
  std::lock_guard lock(s.mutex);
  if (s.threads_set) return;
  s.threads_set = true;
  if (std::getenv("OMP_NUM_THREADS")) return;  // LibTorch already applied it
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores > 0 && torch::get_num_threads() < static_cast<int>(cores)) torch::set_num_threads(static_cast<int>(cores));
}

/// Keras's default name for a layer class: snake case of the class name plus `_N` after the first.
inline std::string unique_name(const std::string& snake_prefix) {
  const int uid = get_uid(snake_prefix);
  return uid == 1 ? snake_prefix : snake_prefix + "_" + std::to_string(uid - 1);
}

/// Keras's `to_snake_case`: "GlobalAveragePooling2D" -> "global_average_pooling2d" (same two regexes).
inline std::string to_snake_case(const std::string& name) {
  static const std::regex words("(.)([A-Z][a-z0-9]+)"), humps("([a-z])([A-Z])");
  std::string s = std::regex_replace(std::regex_replace(name, words, "$1_$2"), humps, "$1_$2");
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace tl::backend
