#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/normalization.hpp>

#include <algorithm>

namespace tl::layers {

namespace normalization_detail {
TL_INLINE json to_json(const Scalars& s) {
  if (s.none()) return nullptr;
  return s.scalar ? json(s.values.at(0)) : json(s.values);
}
/// A tuple as Python prints it: `(-1,)`, `(1, 2)`, `()`.
TL_INLINE std::string python_tuple(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s.append(i ? ", " : "").append(std::to_string(v[i]));
  return s + (v.size() == 1 ? ",)" : ")");
}
TL_INLINE std::string python_list(const Shape& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s.append(i ? ", " : "").append(v[i] == None ? "None" : std::to_string(v[i]));
  return s + "]";
}
TL_INLINE std::string python_value(const Scalars& s) { return s.none() ? "None" : json_dumps(to_json(s)); }
}  // namespace normalization_detail

TL_INLINE NormalizationImpl::NormalizationImpl(NormalizationOptions options)
    : SingleInputLayerImpl("Normalization", options.name), options_(std::move(options)) {
  using normalization_detail::python_value;
  detail::check(options_.mean.none() == options_.variance.none(),
                error_prefix() + "When setting values directly, both `mean` and `variance` must be set. Got mean: " +
                    python_value(options_.mean) + " and variance: " + python_value(options_.variance));
}

TL_INLINE std::vector<int64_t> NormalizationImpl::keep_axes(const Shape& in) const {
  using normalization_detail::python_tuple;
  const auto ndim = static_cast<int64_t>(in.size());
  std::vector<int64_t> keep;
  for (auto a : options_.axis) {
    detail::check(a >= -ndim && a < ndim, error_prefix() + "All `axis` values must be in the range [-ndim, ndim). "
                                                           "Found ndim: `" + std::to_string(ndim) + "`, axis: " +
                                              python_tuple(options_.axis));
    keep.push_back(a < 0 ? a + ndim : a);
  }
  std::sort(keep.begin(), keep.end());
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  for (auto d : keep)
    detail::check(in[d] != None, error_prefix() + "All `axis` values to be kept must have known shape. Got axis: " +
                                     python_tuple(options_.axis) + ", input shape: " +
                                     normalization_detail::python_list(in) + ", with unknown axis at index: " +
                                     std::to_string(d));
  return keep;
}

TL_INLINE Shape NormalizationImpl::output_shape_for(const Shape& in) const {
  keep_axes(in);
  if (!broadcast_shape_.empty()) {
    bool same = broadcast_shape_.size() == in.size();
    for (size_t d = 0; same && d < in.size(); ++d)
      same = broadcast_shape_[d] == 1 || in[d] == broadcast_shape_[d] || in[d] == None;
    detail::check(same, "Input 0 of layer \"" + name() + "\" is incompatible with the layer: it was built for inputs "
                        "of shape " + to_string(broadcast_shape_) + " on the kept axes, but received input with shape " +
                        to_string(in));
  }
  return in;
}

TL_INLINE void NormalizationImpl::build_for(const Shape& in) {
  const auto keep = keep_axes(in);
  std::vector<int64_t> kept_shape;
  broadcast_shape_.assign(in.size(), 1);
  for (auto d : keep) {
    kept_shape.push_back(in[d]);
    broadcast_shape_[d] = in[d];
  }
  if (options_.mean.none()) {
    mean_ = add_weight("mean", torch::zeros(kept_shape), false);
    variance_ = add_weight("variance", torch::ones(kept_shape), false);
    count_ = add_weight("count", torch::zeros({}, torch::kLong), false);
    return;
  }
  // Keras: `input_mean * np.ones(shape)` in float64 (numpy's broadcasting), then float32.
  const auto constant = [&](const Scalars& s, const char* what) {
    auto given = s.scalar ? torch::tensor(s.values[0], torch::kDouble) : torch::tensor(s.values, torch::kDouble);
    try {
      return (given * torch::ones(kept_shape, torch::kDouble)).to(torch::kFloat);
    } catch (const c10::Error&) {
      throw ValueError(error_prefix() + what + " has " + std::to_string(s.values.size()) +
                       " values, which do not broadcast to the kept axes' shape " + Weight::shape_string(kept_shape));
    }
  };
  mean_ = register_buffer("mean", constant(options_.mean, "mean"));
  variance_ = register_buffer("variance", constant(options_.variance, "variance"));
}

TL_INLINE torch::Tensor NormalizationImpl::broadcast(const torch::Tensor& values, int64_t rank) const {
  auto shaped = values.reshape(broadcast_shape_);
  return rank == 4 ? to_internal_layout(shaped) : shaped;
}

TL_INLINE torch::Tensor NormalizationImpl::forward_one(const torch::Tensor& input, bool) {
  const auto x = input.is_floating_point() ? input : input.to(torch::kFloat);
  const auto rank = x.dim();
  const auto mean = broadcast(mean_, rank);
  const auto stddev = torch::clamp_min(torch::sqrt(broadcast(variance_, rank)), 1e-7);  // backend.epsilon()
  if (options_.invert) return mean + x * stddev;
  return (x - mean).div_(stddev);
}

TL_INLINE json NormalizationImpl::get_config() const {
  return config_with({{"axis", options_.axis}, {"mean", normalization_detail::to_json(options_.mean)},
                      {"variance", normalization_detail::to_json(options_.variance)}});
}

TL_INLINE Normalization::Normalization(NormalizationOptions options)
    : LayerHandle(std::make_shared<NormalizationImpl>(std::move(options))) {}

}  // namespace tl::layers
