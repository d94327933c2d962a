#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/global_pooling.hpp>

namespace tl::layers {

TL_INLINE GlobalPooling2DImpl::GlobalPooling2DImpl(std::string class_name, GlobalPooling2DOptions options)
    : SingleInputLayerImpl(std::move(class_name), options.name), options_(std::move(options)) {}

TL_INLINE Shape GlobalPooling2DImpl::output_shape_for(const Shape& in) const {
  detail::check_ndim(in, 4, name());
  return options_.keepdims ? Shape{in[0], 1, 1, in[3]} : Shape{in[0], in[3]};
}

TL_INLINE torch::Tensor GlobalPooling2DImpl::forward_one(const torch::Tensor& x, bool) {
  return reduce(x, options_.keepdims);
}

TL_INLINE json GlobalPooling2DImpl::get_config() const {
  return config_with({{"data_format", "channels_last"}, {"keepdims", options_.keepdims}});
}

TL_INLINE GlobalAveragePooling2DImpl::GlobalAveragePooling2DImpl(GlobalPooling2DOptions options)
    : GlobalPooling2DImpl("GlobalAveragePooling2D", std::move(options)) {}

TL_INLINE torch::Tensor GlobalAveragePooling2DImpl::reduce(const torch::Tensor& x, bool keepdims) const {
  return x.mean({2, 3}, keepdims);
}

TL_INLINE GlobalMaxPooling2DImpl::GlobalMaxPooling2DImpl(GlobalPooling2DOptions options)
    : GlobalPooling2DImpl("GlobalMaxPooling2D", std::move(options)) {}

TL_INLINE torch::Tensor GlobalMaxPooling2DImpl::reduce(const torch::Tensor& x, bool keepdims) const {
  return x.amax({2, 3}, keepdims);
}

TL_INLINE GlobalAveragePooling2D::GlobalAveragePooling2D(GlobalPooling2DOptions options)
    : LayerHandle(std::make_shared<GlobalAveragePooling2DImpl>(std::move(options))) {}

TL_INLINE GlobalMaxPooling2D::GlobalMaxPooling2D(GlobalPooling2DOptions options)
    : LayerHandle(std::make_shared<GlobalMaxPooling2DImpl>(std::move(options))) {}

}  // namespace tl::layers
