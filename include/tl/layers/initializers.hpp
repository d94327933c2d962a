#pragma once
// Keras weight initializers by name, with Keras's fan computation (kernels given in Keras layout).
#include <tl/core/errors.hpp>

#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

namespace tl::initializers {

namespace detail {
/// Keras's `_compute_fans` for a Keras-layout shape: (in, out) or (kh, kw, in, out).
inline std::pair<double, double> fans(const std::vector<int64_t>& shape) {
  if (shape.size() < 1) return {1, 1};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  double receptive = 1;
  for (size_t i = 0; i + 2 < shape.size(); ++i) receptive *= double(shape[i]);
  return {shape[shape.size() - 2] * receptive, shape.back() * receptive};
}
/// Keras's truncated normal: N(0, stddev) redrawn outside two standard deviations.
inline torch::Tensor truncated_normal(const std::vector<int64_t>& shape, double stddev) {
  auto x = torch::randn(shape);
  for (auto outside = x.abs() > 2; outside.any().item<bool>(); outside = x.abs() > 2)
    x.masked_scatter_(outside, torch::randn({outside.sum().item<int64_t>()}));
  return x * stddev;
}

/// Keras's VarianceScaling(distribution="truncated_normal"); 0.8796 is the truncated distribution's stddev.
inline torch::Tensor variance_scaling_normal(const std::vector<int64_t>& shape, double scale, double n) {
  return truncated_normal(shape, std::sqrt(scale / n) / 0.87962566103423978);
}
}  // namespace detail

/// A new float32 tensor of the given Keras-layout shape filled by the named initializer.
inline torch::Tensor make(const std::string& name, const std::vector<int64_t>& shape) {
  const auto [fan_in, fan_out] = detail::fans(shape);
  if (name == "zeros") return torch::zeros(shape);
  if (name == "ones") return torch::ones(shape);
  if (name == "glorot_uniform") {
    const double limit = std::sqrt(6.0 / (fan_in + fan_out));
    return torch::empty(shape).uniform_(-limit, limit);
  }
  if (name == "he_normal") return detail::variance_scaling_normal(shape, 2.0, fan_in);
  if (name == "he_uniform") {
    const double limit = std::sqrt(6.0 / fan_in);
    return torch::empty(shape).uniform_(-limit, limit);
  }
  if (name == "glorot_normal") return detail::variance_scaling_normal(shape, 2.0, (fan_in + fan_out) / 2);
  throw ValueError("Unknown initializer: '" + name +
                   "'. Please use one of: zeros, ones, glorot_uniform, glorot_normal, he_uniform, he_normal");
}

}  // namespace tl::initializers
