#pragma once
#include <tl/core/errors.hpp>
#include <tl/layers/initializers.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace tl::initializers {

namespace detail {
inline constexpr std::array<const char*, 6> known = {"zeros", "ones", "glorot_uniform", "glorot_normal",
                                                     "he_uniform", "he_normal"};

/// Keras's `_compute_fans` for a Keras-layout shape: (in, out) or (kh, kw, in, out).
TL_INLINE std::pair<double, double> fans(const std::vector<int64_t>& shape) {
  if (shape.size() < 1) return {1, 1};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  double receptive = 1;
  for (size_t i = 0; i + 2 < shape.size(); ++i) receptive *= double(shape[i]);
  return {shape[shape.size() - 2] * receptive, shape.back() * receptive};
}

/// Keras's truncated normal: N(0, stddev) redrawn outside two standard deviations.
TL_INLINE torch::Tensor truncated_normal(const std::vector<int64_t>& shape, double stddev) {
  auto x = torch::randn(shape);
  for (auto outside = x.abs() > 2; outside.any().item<bool>(); outside = x.abs() > 2)
    x.masked_scatter_(outside, torch::randn({outside.sum().item<int64_t>()}));
  return x * stddev;
}

/// Keras's VarianceScaling(distribution="truncated_normal"); 0.8796 is the truncated distribution's stddev.
TL_INLINE torch::Tensor variance_scaling_normal(const std::vector<int64_t>& shape, double scale, double n) {
  return truncated_normal(shape, std::sqrt(scale / n) / 0.87962566103423978);
}

TL_INLINE torch::Tensor uniform(const std::vector<int64_t>& shape, double limit) {
  return torch::empty(shape).uniform_(-limit, limit);
}
}  // namespace detail

TL_INLINE torch::Tensor make(const std::string& name, const std::vector<int64_t>& shape) {
  validate(name);
  const auto [fan_in, fan_out] = detail::fans(shape);
  if (name == "zeros") return torch::zeros(shape);
  if (name == "ones") return torch::ones(shape);
  if (name == "glorot_uniform") return detail::uniform(shape, std::sqrt(6.0 / (fan_in + fan_out)));
  if (name == "he_normal") return detail::variance_scaling_normal(shape, 2.0, fan_in);
  if (name == "he_uniform") return detail::uniform(shape, std::sqrt(6.0 / fan_in));
  return detail::variance_scaling_normal(shape, 1.0, (fan_in + fan_out) / 2);  // glorot_normal: scale 1, fan_avg
}

TL_INLINE void validate(const std::string& name) {
  if (std::find(detail::known.begin(), detail::known.end(), name) == detail::known.end())
    throw ValueError("Unknown initializer: '" + name +
                     "'. Please use one of: zeros, ones, glorot_uniform, glorot_normal, he_uniform, he_normal");
}

}  // namespace tl::initializers
