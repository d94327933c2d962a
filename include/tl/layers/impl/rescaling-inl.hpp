#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/rescaling.hpp>

namespace tl::layers {

namespace rescaling_detail {
TL_INLINE json to_json(const Scalars& s) { return s.scalar ? json(s.values.at(0)) : json(s.values); }
}  // namespace rescaling_detail

TL_INLINE RescalingImpl::RescalingImpl(Scalars scale, RescalingOptions options)
    : SingleInputLayerImpl("Rescaling", options.name), scale_(std::move(scale)), options_(std::move(options)) {
  detail::check(!scale_.values.empty(), error_prefix() + "scale must not be an empty list");
  detail::check(!options_.offset.values.empty(), error_prefix() + "offset must not be an empty list");
}

TL_INLINE Shape RescalingImpl::output_shape_for(const Shape& in) const {
  for (const auto* s : {&scale_, &options_.offset})
    if (!s->scalar && s->values.size() != 1 && !in.empty())
      detail::check(in.back() == None || in.back() == int64_t(s->values.size()),
                    error_prefix() + "a per-channel scale or offset has " + std::to_string(s->values.size()) +
                        " values, but the input has shape " + to_string(in));
  return in;
}

TL_INLINE torch::Tensor RescalingImpl::per_channel(const Scalars& values, const torch::Tensor& x) const {
  auto t = torch::tensor(values.values, torch::kDouble).to(x.device(), torch::kFloat);
  if (x.dim() == 4) return t.view({1, -1, 1, 1});  // Keras's last axis is tl's axis 1 of images
  return t;
}

TL_INLINE torch::Tensor RescalingImpl::forward_one(const torch::Tensor& x, bool) {
  const auto& offset = options_.offset;
  const bool scalars = scale_.scalar && offset.scalar;
  if (scalars) return offset.values[0] == 0 ? x * scale_.values[0] : x * scale_.values[0] + offset.values[0];
  auto y = scale_.scalar ? x * scale_.values[0] : x * per_channel(scale_, x);
  return offset.scalar ? (offset.values[0] == 0 ? y : y + offset.values[0]) : y + per_channel(offset, x);
}

TL_INLINE json RescalingImpl::get_config() const {
  return config_with({{"scale", rescaling_detail::to_json(scale_)},
                      {"offset", rescaling_detail::to_json(options_.offset)}});
}

TL_INLINE Rescaling::Rescaling(Scalars scale, RescalingOptions options)
    : LayerHandle(std::make_shared<RescalingImpl>(std::move(scale), std::move(options))) {}

}  // namespace tl::layers
