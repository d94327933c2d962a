#pragma once
// Process-wide state Keras keeps in `keras.backend`: unique layer names and the thread count.
#include <tl/core/config.hpp>

#include <string>
#include <vector>

namespace tl::backend {

/// Keras's `backend.get_uid(prefix)`: 1 on the first call for a prefix, then 2, 3, ...
int get_uid(const std::string& prefix);

/// Resets the generated layer names, as `keras.backend.clear_session()`.
void clear_session();

/// Sets the number of threads LibTorch uses for one operation (default: every core).
void set_num_threads(int n);

/// Applies the default thread count once, unless the user chose one (set_num_threads or OMP_NUM_THREADS):
/// LibTorch 1.13 otherwise runs on one thread.
void ensure_threads();

/// Keras's default name for a layer class: snake case of the class name plus `_N` after the first.
std::string unique_name(const std::string& snake_prefix);

/// Keras's `to_snake_case`: "GlobalAveragePooling2D" -> "global_average_pooling2d", "ReLU" -> "re_lu".
std::string to_snake_case(const std::string& name);

/// Keras's `backend.name_scope(name)` as a scope guard: a layer built while it lives (on its first call) names its
/// weights `<scope>/<layer>/<weight>:0`, nested scopes joined by '/'. Only NASNet builds inside name scopes:
///   { tl::backend::NameScope cell("normal_A_block_0"); x = conv(x); }  // weights "normal_A_block_0/conv/kernel:0"
/// Scopes are per thread, as TensorFlow's graph name scopes are per graph.
class NameScope {
 public:
  explicit NameScope(const std::string& name);
  ~NameScope();
  NameScope(const NameScope&) = delete;
  NameScope& operator=(const NameScope&) = delete;
};

/// The name scopes open on this thread joined by '/', "" outside any.
std::string current_name_scope();

}  // namespace tl::backend

#ifdef TL_HEADER_ONLY
#include <tl/core/impl/backend-inl.hpp>
#endif
