#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/pooling.hpp>

#include <limits>

namespace tl::layers {

TL_INLINE Pooling2DImpl::Pooling2DImpl(std::string class_name, Pooling2DOptions options)
    : SingleInputLayerImpl(std::move(class_name), options.name), options_(std::move(options)) {
  if (options_.strides == Size2(None)) options_.strides = options_.pool_size;
  detail::check_positive(options_.pool_size, "pool_size", error_prefix());
  detail::check_positive(options_.strides, "strides", error_prefix());
  detail::check_padding(options_.padding, error_prefix());
}

TL_INLINE Shape Pooling2DImpl::output_shape_for(const Shape& in) const {
  detail::check_ndim(in, 4, name());
  const auto& p = options_;
  const Shape out{in[0], detail::conv_output_length(in[1], p.pool_size.h, p.padding, p.strides.h),
                  detail::conv_output_length(in[2], p.pool_size.w, p.padding, p.strides.w), in[3]};
  detail::check_downsampled(in, out, p.pool_size, error_prefix());
  return out;
}

TL_INLINE torch::Tensor Pooling2DImpl::forward_one(const torch::Tensor& x, bool) {
  detail::AxisPadding ph, pw;
  if (options_.padding == "same") {
    ph = detail::same_padding(x.size(2), options_.pool_size.h, options_.strides.h);
    pw = detail::same_padding(x.size(3), options_.pool_size.w, options_.strides.w);
  }
  return pool(x, ph, pw);
}

TL_INLINE json Pooling2DImpl::get_config() const {
  const auto& o = options_;
  return config_with({{"pool_size", config::pair(o.pool_size.h, o.pool_size.w)}, {"padding", o.padding},
                      {"strides", config::pair(o.strides.h, o.strides.w)}, {"data_format", "channels_last"}});
}

TL_INLINE MaxPooling2DImpl::MaxPooling2DImpl(Pooling2DOptions options)
    : Pooling2DImpl("MaxPooling2D", std::move(options)) {}

TL_INLINE torch::Tensor MaxPooling2DImpl::pool(const torch::Tensor& x, detail::AxisPadding ph,
                                               detail::AxisPadding pw) const {
  // torch pads max pooling with -inf itself; only the odd pixel after needs explicit padding.
  const auto padded = detail::pad_odd_pixel(x, ph, pw, -std::numeric_limits<double>::infinity());
  return torch::max_pool2d(padded, kernel(), stride(), {ph.before, pw.before});
}

TL_INLINE AveragePooling2DImpl::AveragePooling2DImpl(Pooling2DOptions options)
    : Pooling2DImpl("AveragePooling2D", std::move(options)) {}

TL_INLINE torch::Tensor AveragePooling2DImpl::pool(const torch::Tensor& x, detail::AxisPadding ph,
                                                   detail::AxisPadding pw) const {
  const bool symmetric = ph.before == ph.after && pw.before == pw.after;
  if (symmetric) return torch::avg_pool2d(x, kernel(), stride(), {ph.before, pw.before}, false, false);
  // Asymmetric padding: window sums divided by how many real pixels each window covers.
  const auto window_sums = [&](const torch::Tensor& t) {
    return torch::avg_pool2d(detail::pad_odd_pixel(t, ph, pw), kernel(), stride(), {ph.before, pw.before}, false,
                             true, /*divisor_override=*/1);
  };
  return window_sums(x) / window_sums(torch::ones({1, 1, x.size(2), x.size(3)}, x.options()));
}

TL_INLINE MaxPooling2D::MaxPooling2D(Pooling2DOptions options)
    : LayerHandle(std::make_shared<MaxPooling2DImpl>(std::move(options))) {}

TL_INLINE AveragePooling2D::AveragePooling2D(Pooling2DOptions options)
    : LayerHandle(std::make_shared<AveragePooling2DImpl>(std::move(options))) {}

}  // namespace tl::layers
