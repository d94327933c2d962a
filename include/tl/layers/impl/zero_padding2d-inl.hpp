#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/zero_padding2d.hpp>

namespace tl::layers {

TL_INLINE std::string Padding2D::str() const {
  std::string s = "(";
  s.append(Size2(top, bottom).str()).append(", ").append(Size2(left, right).str());
  return s + ")";
}

TL_INLINE ZeroPadding2DImpl::ZeroPadding2DImpl(Padding2D padding, const ZeroPadding2DOptions& options)
    : SingleInputLayerImpl("ZeroPadding2D", options.name), padding_(padding) {
  detail::check(padding.top >= 0 && padding.bottom >= 0 && padding.left >= 0 && padding.right >= 0,
                error_prefix() + "padding must not be negative, got " + padding.str());
}

TL_INLINE Shape ZeroPadding2DImpl::output_shape_for(const Shape& in) const {
  detail::check_ndim(in, 4, name());
  const auto grow = [](int64_t d, int64_t by) { return d == None ? None : d + by; };
  return {in[0], grow(in[1], padding_.top + padding_.bottom), grow(in[2], padding_.left + padding_.right), in[3]};
}

TL_INLINE torch::Tensor ZeroPadding2DImpl::forward_one(const torch::Tensor& x, bool) {
  return torch::constant_pad_nd(x, {padding_.left, padding_.right, padding_.top, padding_.bottom});
}

TL_INLINE json ZeroPadding2DImpl::get_config() const {
  const auto& p = padding_;
  return config_with({{"padding", json::array({config::pair(p.top, p.bottom), config::pair(p.left, p.right)})},
                      {"data_format", "channels_last"}});
}

TL_INLINE ZeroPadding2D::ZeroPadding2D(Padding2D padding, const ZeroPadding2DOptions& options)
    : LayerHandle(std::make_shared<ZeroPadding2DImpl>(padding, options)) {}

}  // namespace tl::layers
