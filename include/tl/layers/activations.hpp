#pragma once
// Keras activations by name ("relu", "softmax", ...), applied on torch-layout tensors.
#include <tl/core/detail/reuse.hpp>
#include <tl/core/errors.hpp>

#include <torch/torch.h>

#include <string>

namespace tl::activations {

/// Applies the named Keras activation. Softmax is over the channel axis (Keras's last axis), which is
/// axis 1 for rank-4 tensors inside tl. An unknown name throws ValueError listing the known ones.
inline torch::Tensor apply(const std::string& name, const torch::Tensor& x) {
  if (name.empty() || name == "linear") return x;
  if (name == "relu") return torch::relu(x);
  if (name == "sigmoid") return torch::sigmoid(x);
  if (name == "tanh") return torch::tanh(x);
  if (name == "softmax") return torch::softmax(x, x.dim() == 4 ? 1 : -1);
  if (name == "elu") return torch::elu(x);
  if (name == "selu") return torch::selu(x);
  if (name == "softplus") return torch::softplus(x);
  if (name == "gelu") return torch::gelu(x);
  if (name == "swish" || name == "silu") return torch::silu(x);
  throw ValueError("Unknown activation function: '" + name +
                   "'. Please use one of: linear, relu, sigmoid, tanh, softmax, elu, selu, softplus, gelu, swish");
}

/// apply(), written into `x` itself when `detail::reusable(x)` and the activation has an in-place form.
inline torch::Tensor apply_reusing(const std::string& name, torch::Tensor& x) {
  if (!tl::detail::reusable(x)) return activations::apply(name, x);
  if (name == "relu") return x.relu_();
  if (name == "sigmoid") return x.sigmoid_();
  if (name == "tanh") return x.tanh_();
  return activations::apply(name, x);
}

/// Throws ValueError unless `name` is a known activation (checked when a layer is constructed).
inline void validate(const std::string& name) { activations::apply(name, torch::zeros({1})); }

}  // namespace tl::activations
