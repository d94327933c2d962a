#pragma once
#include <tl/core/detail/reuse.hpp>
#include <tl/core/errors.hpp>
#include <tl/layers/activations.hpp>

#include <algorithm>
#include <array>

namespace tl::activations {

namespace detail {
inline constexpr std::array<const char*, 11> known = {"linear", "relu", "sigmoid", "tanh", "softmax", "elu",
                                                      "selu", "softplus", "gelu", "swish", "silu"};
[[noreturn]] TL_INLINE void unknown(const std::string& name) {
  throw ValueError("Unknown activation function: '" + name +
                   "'. Please use one of: linear, relu, sigmoid, tanh, softmax, elu, selu, softplus, gelu, swish");
}
}  // namespace detail

TL_INLINE torch::Tensor apply(const std::string& name, const torch::Tensor& x) {
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
  detail::unknown(name);
}

TL_INLINE torch::Tensor apply_reusing(const std::string& name, torch::Tensor& x) {
  if (!tl::detail::reusable(x)) return activations::apply(name, x);
  if (name == "relu") return x.relu_();
  if (name == "sigmoid") return x.sigmoid_();
  if (name == "tanh") return x.tanh_();
  return activations::apply(name, x);
}

TL_INLINE void validate(const std::string& name) {
  if (!name.empty() && std::find(detail::known.begin(), detail::known.end(), name) == detail::known.end())
    detail::unknown(name);
}

}  // namespace tl::activations
