#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/cropping2d.hpp>

namespace tl::layers {

TL_INLINE Cropping2DImpl::Cropping2DImpl(Cropping2DSize cropping, const Cropping2DOptions& options)
    : SingleInputLayerImpl("Cropping2D", options.name), cropping_(cropping) {
  const auto& c = cropping_;
  detail::check(c.top >= 0 && c.bottom >= 0 && c.left >= 0 && c.right >= 0,
                error_prefix() + "cropping must not be negative, got " + c.str());
}

TL_INLINE Shape Cropping2DImpl::output_shape_for(const Shape& in) const {
  detail::check_ndim(in, 4, name());
  const auto& c = cropping_;
  const auto shrink = [](int64_t d, int64_t by) { return d == None ? None : d - by; };
  const Shape out{in[0], shrink(in[1], c.top + c.bottom), shrink(in[2], c.left + c.right), in[3]};
  detail::check((in[1] == None || out[1] > 0) && (in[2] == None || out[2] > 0),
                error_prefix() + "Argument `cropping` must be smaller than the input shape. Received: inputs.shape=" +
                    to_string(in) + ", and cropping=" + c.str());
  return out;
}

TL_INLINE torch::Tensor Cropping2DImpl::forward_one(const torch::Tensor& x, bool) {
  const auto& c = cropping_;
  return x.slice(2, c.top, x.size(2) - c.bottom).slice(3, c.left, x.size(3) - c.right);
}

TL_INLINE json Cropping2DImpl::get_config() const {
  const auto& c = cropping_;
  return config_with({{"cropping", json::array({config::pair(c.top, c.bottom), config::pair(c.left, c.right)})},
                      {"data_format", "channels_last"}});
}

TL_INLINE Cropping2D::Cropping2D(Cropping2DSize cropping, const Cropping2DOptions& options)
    : LayerHandle(std::make_shared<Cropping2DImpl>(cropping, options)) {}

}  // namespace tl::layers
