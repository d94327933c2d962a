#pragma once
#include <tl/core/backend.hpp>
#include <tl/core/errors.hpp>

#include <ATen/Parallel.h>

#include <cctype>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

namespace tl::backend {

namespace detail {
struct State {
  std::mutex mutex;
  std::map<std::string, int> uids;
  bool threads_set = false;
};
TL_INLINE State& state() {
  static State s;
  return s;
}
/// The open name scopes of this thread, outermost first.
TL_INLINE std::vector<std::string>& name_scopes() {
  thread_local std::vector<std::string> scopes;
  return scopes;
}
TL_INLINE bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
TL_INLINE bool is_lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
}  // namespace detail

TL_INLINE int get_uid(const std::string& prefix) {
  auto& s = detail::state();
  std::lock_guard lock(s.mutex);
  return ++s.uids[prefix];
}

TL_INLINE void clear_session() {
  auto& s = detail::state();
  std::lock_guard lock(s.mutex);
  s.uids.clear();
}

TL_INLINE void set_num_threads(int n) {
  tl::detail::check(n > 0, "set_num_threads: the number of threads must be positive, got " + std::to_string(n));
  at::set_num_threads(n);
  detail::state().threads_set = true;
}

TL_INLINE void ensure_threads() {
  auto& s = detail::state();
  std::lock_guard lock(s.mutex);
  if (s.threads_set) return;
  s.threads_set = true;
  if (std::getenv("OMP_NUM_THREADS")) return;  // LibTorch already applied it
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores > 0 && at::get_num_threads() < static_cast<int>(cores)) at::set_num_threads(static_cast<int>(cores));
}

TL_INLINE std::string unique_name(const std::string& snake_prefix) {
  const int uid = get_uid(snake_prefix);
  return uid == 1 ? snake_prefix : snake_prefix + "_" + std::to_string(uid - 1);
}

// Keras's two regex substitutions, written out (std::regex costs seconds of compile time per translation unit):
// "(.)([A-Z][a-z0-9]+)" -> "\1_\2", then "([a-z])([A-Z])" -> "\1_\2", then lower case.
TL_INLINE std::string to_snake_case(const std::string& name) {
  std::string words;  // the first substitution: scans left to right, matches never overlap
  for (size_t i = 0; i < name.size();) {
    const bool match =
        i + 2 < name.size() && detail::is_upper(name[i + 1]) && detail::is_lower_or_digit(name[i + 2]);
    if (!match) {
      words += name[i++];
      continue;
    }
    size_t end = i + 3;
    while (end < name.size() && detail::is_lower_or_digit(name[end])) ++end;
    words.append(1, name[i]).append(1, '_').append(name, i + 1, end - i - 1);
    i = end;
  }
  std::string out;  // the second substitution, on the result of the first
  for (size_t i = 0; i < words.size(); ++i) {
    out += words[i];
    if (i + 1 < words.size() && words[i] >= 'a' && words[i] <= 'z' && detail::is_upper(words[i + 1])) {
      out += '_';
      out += words[++i];
    }
  }
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TL_INLINE NameScope::NameScope(const std::string& name) { detail::name_scopes().push_back(name); }

TL_INLINE NameScope::~NameScope() { detail::name_scopes().pop_back(); }

TL_INLINE std::string current_name_scope() {
  std::string path;
  for (const auto& scope : detail::name_scopes()) path += (path.empty() ? "" : "/") + scope;
  return path;
}

}  // namespace tl::backend
