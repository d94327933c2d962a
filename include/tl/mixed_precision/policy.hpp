#pragma once
// keras.mixed_precision.Policy and the global policy: which dtype a model computes in, and which its weights keep.
#include <tl/core/errors.hpp>

#include <torch/torch.h>

#include <mutex>
#include <string>

namespace tl::mixed_precision {

/// Keras's dtype policy. "float32" (the default), "mixed_float16" or "mixed_bfloat16": a mixed policy computes
/// convolutions and matrix products in 16 bits while the weights, the loss and the model's output stay float32.
///   tl::mixed_precision::set_global_policy("mixed_float16");  // before building the model, as in Keras
class Policy {
 public:
  Policy(const char* name) : Policy(std::string(name)) {}  // NOLINT: implicit, as Keras takes a string
  Policy(std::string name) : name_(std::move(name)) {      // NOLINT
    tl::detail::check(name_ == "float32" || name_ == "mixed_float16" || name_ == "mixed_bfloat16",
                      "Cannot convert value '" + name_ + "' to a mixed precision Policy. Valid policies are "
                      "'mixed_float16', 'mixed_bfloat16' and 'float32' (tl keeps every weight in float32).");
  }
  const std::string& name() const { return name_; }
  /// The dtype layers compute in: "float16", "bfloat16" or "float32".
  std::string compute_dtype() const { return mixed() ? name_.substr(6) : name_; }
  /// The dtype weights are kept in: always "float32".
  std::string variable_dtype() const { return "float32"; }
  bool mixed() const { return name_.starts_with("mixed_"); }
  /// compute_dtype() as a torch dtype.
  torch::ScalarType compute_scalar_type() const {
    if (name_ == "mixed_float16") return torch::kHalf;
    return name_ == "mixed_bfloat16" ? torch::kBFloat16 : torch::kFloat;
  }
  bool operator==(const Policy&) const = default;

 private:
  std::string name_;
};

namespace detail {
struct GlobalPolicy {
  std::mutex mutex;
  Policy policy = "float32";
};
inline GlobalPolicy& global() {
  static GlobalPolicy g;
  return g;
}
}  // namespace detail

/// Keras's `mixed_precision.set_global_policy`: models built afterwards take this policy.
inline void set_global_policy(const Policy& policy) {
  std::lock_guard lock(detail::global().mutex);
  detail::global().policy = policy;
}

/// Keras's `mixed_precision.global_policy()`: "float32" unless set.
inline Policy global_policy() {
  std::lock_guard lock(detail::global().mutex);
  return detail::global().policy;
}

}  // namespace tl::mixed_precision
