#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/activations.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/initializers.hpp>
#include <tl/layers/separable_conv2d.hpp>

namespace tl::layers {

TL_INLINE SeparableConv2DImpl::SeparableConv2DImpl(int64_t filters, Size2 kernel_size, SeparableConv2DOptions options)
    : SingleInputLayerImpl("SeparableConv2D", options.name), filters_(filters), kernel_size_(kernel_size),
      options_(std::move(options)) {
  detail::check(filters > 0, error_prefix() + "filters must be positive, got " + std::to_string(filters));
  detail::check_positive(kernel_size_, "kernel_size", error_prefix());
  detail::check_positive(options_.strides, "strides", error_prefix());
  detail::check_positive(options_.dilation_rate, "dilation_rate", error_prefix());
  detail::check_padding(options_.padding, error_prefix());
  detail::check(options_.depth_multiplier > 0, error_prefix() + "depth_multiplier must be positive, got " +
                                                   std::to_string(options_.depth_multiplier));
  detail::check_strides_with_dilation(options_.strides, options_.dilation_rate, error_prefix());
  activations::validate(options_.activation);
  initializers::validate(options_.depthwise_initializer);
  initializers::validate(options_.pointwise_initializer);
  initializers::validate(options_.bias_initializer);
}

TL_INLINE Shape SeparableConv2DImpl::output_shape_for(const Shape& in) const {
  detail::check_ndim(in, 4, name());
  check_channels(in);
  const auto& o = options_;
  const Shape out{in[0], detail::conv_output_length(in[1], kernel_size_.h, o.padding, o.strides.h, o.dilation_rate.h),
                  detail::conv_output_length(in[2], kernel_size_.w, o.padding, o.strides.w, o.dilation_rate.w),
                  filters_};
  detail::check_downsampled(in, out, kernel_size_, error_prefix());
  return out;
}

TL_INLINE void SeparableConv2DImpl::build_for(const Shape& in) {
  output_shape_for(in);
  const int64_t c = in[3], m = options_.depth_multiplier;
  auto depthwise = initializers::make(options_.depthwise_initializer, {kernel_size_.h, kernel_size_.w, c, m});
  depthwise_kernel_ = add_weight("depthwise_kernel", depthwise.permute({2, 3, 0, 1}).contiguous(), true,
                                 WeightLayout::depthwise_kernel);
  auto pointwise = initializers::make(options_.pointwise_initializer, {1, 1, c * m, filters_});
  pointwise_kernel_ = add_weight("pointwise_kernel", pointwise.permute({3, 2, 0, 1}).contiguous(), true,
                                 WeightLayout::conv_kernel);
  if (options_.use_bias) bias_ = add_weight("bias", initializers::make(options_.bias_initializer, {filters_}));
}

TL_INLINE torch::Tensor SeparableConv2DImpl::depthwise_kernel() const {
  const auto& k = depthwise_kernel_;
  if (!k.defined()) return k;
  return k.view({k.size(0) * k.size(1), 1, k.size(2), k.size(3)});
}

TL_INLINE torch::Tensor SeparableConv2DImpl::depthwise(const torch::Tensor& x) const {
  const auto& o = options_;
  return detail::tf_conv2d(x, depthwise_kernel(), {}, kernel_size_, o.strides, o.padding, o.dilation_rate, x.size(1));
}

TL_INLINE torch::Tensor SeparableConv2DImpl::convolve(const torch::Tensor& x, const torch::Tensor& pointwise_kernel,
                                                      const torch::Tensor& bias) const {
  return torch::conv2d(depthwise(x), pointwise_kernel, bias);
}

TL_INLINE torch::Tensor SeparableConv2DImpl::forward_one(const torch::Tensor& x, bool) {
  auto y = convolve(x, pointwise_kernel_, bias_);
  return activations::apply_reusing(options_.activation, y);  // y is new: the activation in place
}

TL_INLINE json SeparableConv2DImpl::get_config() const {
  // Keras 2.11: Conv's config (kernel_* entries included, unused) with the separable entries appended.
  const auto& o = options_;
  return config_with({{"filters", filters_}, {"kernel_size", config::pair(kernel_size_.h, kernel_size_.w)},
                      {"strides", config::pair(o.strides.h, o.strides.w)}, {"padding", o.padding},
                      {"data_format", "channels_last"},
                      {"dilation_rate", config::pair(o.dilation_rate.h, o.dilation_rate.w)}, {"groups", 1},
                      {"activation", config::activation(o.activation)}, {"use_bias", o.use_bias},
                      {"kernel_initializer", config::initializer("glorot_uniform")},
                      {"bias_initializer", config::initializer(o.bias_initializer)}, {"kernel_regularizer", nullptr},
                      {"bias_regularizer", nullptr}, {"activity_regularizer", nullptr},
                      {"kernel_constraint", nullptr}, {"bias_constraint", nullptr},
                      {"depth_multiplier", o.depth_multiplier},
                      {"depthwise_initializer", config::initializer(o.depthwise_initializer)},
                      {"pointwise_initializer", config::initializer(o.pointwise_initializer)},
                      {"depthwise_regularizer", nullptr}, {"pointwise_regularizer", nullptr},
                      {"depthwise_constraint", nullptr}, {"pointwise_constraint", nullptr}});
}

TL_INLINE void SeparableConv2DImpl::check_channels(const Shape& in) const {
  detail::check(in[3] != None, error_prefix() + "The channel dimension of the inputs should be defined, got input "
                                                "shape " + to_string(in));
  if (depthwise_kernel_.defined())
    detail::check(in[3] == depthwise_kernel_.size(0),
                  "Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected axis -1 of input "
                  "shape to have value " + std::to_string(depthwise_kernel_.size(0)) +
                  ", but received input with shape " + to_string(in));
}

TL_INLINE SeparableConv2D::SeparableConv2D(int64_t filters, Size2 kernel_size, SeparableConv2DOptions options)
    : LayerHandle(std::make_shared<SeparableConv2DImpl>(filters, kernel_size, std::move(options))) {}

}  // namespace tl::layers
