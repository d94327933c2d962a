#pragma once
// Keras activations by name ("relu", "softmax", ...), applied on torch-layout tensors.
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <string>

namespace tl::activations {

/// Applies the named Keras activation. Softmax is over the channel axis (Keras's last axis), which is
/// axis 1 for rank-4 tensors inside tl. An unknown name throws ValueError listing the known ones.
torch::Tensor apply(const std::string& name, const torch::Tensor& x);

/// apply(), written into `x` itself when `detail::reusable(x)` and the activation has an in-place form.
torch::Tensor apply_reusing(const std::string& name, torch::Tensor& x);

/// Throws ValueError unless `name` is a known activation (checked when a layer is constructed).
void validate(const std::string& name);

}  // namespace tl::activations

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/activations-inl.hpp>
#endif
