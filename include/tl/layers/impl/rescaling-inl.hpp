#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/rescaling.hpp>

namespace tl::layers {

TL_INLINE RescalingImpl::RescalingImpl(double scale, RescalingOptions options)
    : SingleInputLayerImpl("Rescaling", options.name), scale_(scale), options_(std::move(options)) {}

TL_INLINE Shape RescalingImpl::output_shape_for(const Shape& in) const { return in; }

TL_INLINE torch::Tensor RescalingImpl::forward_one(const torch::Tensor& x, bool) {
  return options_.offset == 0 ? x * scale_ : x * scale_ + options_.offset;
}

TL_INLINE json RescalingImpl::get_config() const {
  return config_with({{"scale", scale_}, {"offset", options_.offset}});
}

TL_INLINE Rescaling::Rescaling(double scale, RescalingOptions options)
    : LayerHandle(std::make_shared<RescalingImpl>(scale, std::move(options))) {}

}  // namespace tl::layers
