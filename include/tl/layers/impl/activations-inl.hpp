#pragma once
#include <tl/core/detail/reuse.hpp>
#include <tl/core/errors.hpp>
#include <tl/layers/activations.hpp>

#include <algorithm>
#include <array>

namespace tl::activations {

namespace detail {
inline constexpr std::array<const char*, 15> known = {"linear", "relu", "sigmoid", "tanh", "softmax", "elu", "selu",
                                                      "softplus", "gelu", "swish", "silu", "relu6", "hard_sigmoid",
                                                      "hard_swish", "exponential"};
[[noreturn]] TL_INLINE void unknown(const std::string& name) {
  std::string names;
  for (const char* k : known) names.append(names.empty() ? "" : ", ").append(k);
  throw ValueError("Unknown activation function: '" + name + "'. Please use one of: " + names);
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
  if (name == "swish" || name == "silu") return torch::silu(x);  // x * sigmoid(x), tf.nn.silu
  if (name == "relu6") return torch::hardtanh(x, 0, 6);          // tf.nn.relu6: min(max(x, 0), 6)
  // tf.keras 2.x's hard_sigmoid (backend.hard_sigmoid): clip(0.2 x + 0.5, 0, 1), two roundings as TF's float32
  // multiply and add. Not torch's hardsigmoid (relu6(x + 3) / 6), which Keras 3 adopted.
  if (name == "hard_sigmoid") return torch::clamp((x * 0.2).add_(0.5), 0, 1);
  if (name == "hard_swish") return torch::hardswish(x);  // x * relu6(x + 3) / 6
  if (name == "exponential") return torch::exp(x);
  detail::unknown(name);
}

TL_INLINE torch::Tensor apply_reusing(const std::string& name, torch::Tensor& x) {
  if (!tl::detail::reusable(x)) return activations::apply(name, x);
  if (name == "relu") return x.relu_();
  if (name == "sigmoid") return x.sigmoid_();
  if (name == "tanh") return x.tanh_();
  if (name == "swish" || name == "silu") return torch::silu_(x);
  if (name == "relu6") return torch::hardtanh_(x, 0, 6);
  if (name == "hard_sigmoid") return x.mul_(0.2).add_(0.5).clamp_(0, 1);
  if (name == "hard_swish") return torch::hardswish_(x);
  return activations::apply(name, x);
}

TL_INLINE void validate(const std::string& name) {
  if (!name.empty() && std::find(detail::known.begin(), detail::known.end(), name) == detail::known.end())
    detail::unknown(name);
}

}  // namespace tl::activations
