#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/activations.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/depthwise_conv2d.hpp>
#include <tl/layers/initializers.hpp>

namespace tl::layers {

TL_INLINE DepthwiseConv2DImpl::DepthwiseConv2DImpl(Size2 kernel_size, DepthwiseConv2DOptions options)
    : SingleInputLayerImpl("DepthwiseConv2D", options.name), kernel_size_(kernel_size), options_(std::move(options)) {
  detail::check_positive(kernel_size_, "kernel_size", error_prefix());
  detail::check_positive(options_.strides, "strides", error_prefix());
  detail::check_positive(options_.dilation_rate, "dilation_rate", error_prefix());
  detail::check_padding(options_.padding, error_prefix());
  detail::check(options_.depth_multiplier > 0,
                error_prefix() + "Invalid value for argument `depth_multiplier`. Expected a strictly  positive value. "
                                 "Received depth_multiplier=" + std::to_string(options_.depth_multiplier) + ".");
  detail::check_strides_with_dilation(options_.strides, options_.dilation_rate, error_prefix());
  activations::validate(options_.activation);
  initializers::validate(options_.depthwise_initializer);
  initializers::validate(options_.bias_initializer);
}

TL_INLINE Shape DepthwiseConv2DImpl::output_shape_for(const Shape& in) const {
  detail::check_ndim(in, 4, name());
  check_channels(in);
  const auto& o = options_;
  const Shape out{in[0], detail::conv_output_length(in[1], kernel_size_.h, o.padding, o.strides.h, o.dilation_rate.h),
                  detail::conv_output_length(in[2], kernel_size_.w, o.padding, o.strides.w, o.dilation_rate.w),
                  in[3] * o.depth_multiplier};
  detail::check_downsampled(in, out, kernel_size_, error_prefix());
  return out;
}

TL_INLINE void DepthwiseConv2DImpl::build_for(const Shape& in) {
  output_shape_for(in);
  const int64_t c = in[3], m = options_.depth_multiplier;
  auto keras = initializers::make(options_.depthwise_initializer, {kernel_size_.h, kernel_size_.w, c, m});
  kernel_ = add_weight("depthwise_kernel", keras.permute({2, 3, 0, 1}).contiguous(), true,
                       WeightLayout::depthwise_kernel);
  if (options_.use_bias) bias_ = add_weight("bias", initializers::make(options_.bias_initializer, {c * m}));
}

TL_INLINE torch::Tensor DepthwiseConv2DImpl::kernel() const {
  if (!kernel_.defined()) return kernel_;
  return kernel_.view({kernel_.size(0) * kernel_.size(1), 1, kernel_.size(2), kernel_.size(3)});
}

TL_INLINE torch::Tensor DepthwiseConv2DImpl::convolve(const torch::Tensor& x, const torch::Tensor& kernel,
                                                      const torch::Tensor& bias) const {
  const auto& o = options_;
  return detail::tf_conv2d(x, kernel, bias, kernel_size_, o.strides, o.padding, o.dilation_rate, x.size(1));
}

TL_INLINE torch::Tensor DepthwiseConv2DImpl::forward_one(const torch::Tensor& x, bool) {
  auto y = convolve(x, kernel(), bias_);
  return activations::apply_reusing(options_.activation, y);  // y is new: the activation in place
}

TL_INLINE json DepthwiseConv2DImpl::get_config() const {
  // Keras 2.11: Conv's config without filters and the kernel_* entries, then the depthwise ones appended.
  const auto& o = options_;
  return config_with({{"kernel_size", config::pair(kernel_size_.h, kernel_size_.w)},
                      {"strides", config::pair(o.strides.h, o.strides.w)}, {"padding", o.padding},
                      {"data_format", "channels_last"},
                      {"dilation_rate", config::pair(o.dilation_rate.h, o.dilation_rate.w)}, {"groups", 1},
                      {"activation", config::activation(o.activation)}, {"use_bias", o.use_bias},
                      {"bias_initializer", config::initializer(o.bias_initializer)}, {"bias_regularizer", nullptr},
                      {"activity_regularizer", nullptr}, {"bias_constraint", nullptr},
                      {"depth_multiplier", o.depth_multiplier},
                      {"depthwise_initializer", config::initializer(o.depthwise_initializer)},
                      {"depthwise_regularizer", nullptr}, {"depthwise_constraint", nullptr}});
}

TL_INLINE void DepthwiseConv2DImpl::check_channels(const Shape& in) const {
  detail::check(in[3] != None, error_prefix() + "the channel dimension of the inputs to `DepthwiseConv2D` should be "
                                                "defined, got input shape " + to_string(in));
  if (kernel_.defined())
    detail::check(in[3] == kernel_.size(0),
                  "Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected axis -1 of input "
                  "shape to have value " + std::to_string(kernel_.size(0)) + ", but received input with shape " +
                  to_string(in));
}

TL_INLINE DepthwiseConv2D::DepthwiseConv2D(Size2 kernel_size, DepthwiseConv2DOptions options)
    : LayerHandle(std::make_shared<DepthwiseConv2DImpl>(kernel_size, std::move(options))) {}

}  // namespace tl::layers
