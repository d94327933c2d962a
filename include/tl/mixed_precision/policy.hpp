#pragma once
// keras.mixed_precision.Policy and the global policy: which dtype a model computes in, and which its weights keep.
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <string>

namespace tl::mixed_precision {

/// Keras's dtype policy. "float32" (the default), "mixed_float16" or "mixed_bfloat16": a mixed policy computes
/// convolutions and matrix products in 16 bits while the weights, the loss and the model's output stay float32.
///   tl::mixed_precision::set_global_policy("mixed_float16");  // before building the model, as in Keras
class Policy {
 public:
  Policy(const char* name) : Policy(std::string(name)) {}  // NOLINT: implicit, as Keras takes a string
  Policy(std::string name);                                // NOLINT
  const std::string& name() const { return name_; }
  /// The dtype layers compute in: "float16", "bfloat16" or "float32".
  std::string compute_dtype() const;
  /// The dtype weights are kept in: always "float32".
  std::string variable_dtype() const { return "float32"; }
  bool mixed() const { return name_.starts_with("mixed_"); }
  /// compute_dtype() as a torch dtype.
  torch::ScalarType compute_scalar_type() const;
  bool operator==(const Policy&) const = default;

 private:
  std::string name_;
};

/// Keras's `mixed_precision.set_global_policy`: models built afterwards take this policy.
void set_global_policy(const Policy& policy);

/// Keras's `mixed_precision.global_policy()`: "float32" unless set.
Policy global_policy();

}  // namespace tl::mixed_precision

#ifdef TL_HEADER_ONLY
#include <tl/mixed_precision/impl/policy-inl.hpp>
#endif
