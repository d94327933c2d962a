#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/activations.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/initializers.hpp>

namespace tl::layers {

TL_INLINE Conv2DImpl::Conv2DImpl(int64_t filters, Size2 kernel_size, Conv2DOptions options)
    : SingleInputLayerImpl("Conv2D", options.name), filters_(filters), kernel_size_(kernel_size),
      options_(std::move(options)) {
  detail::check(filters > 0, error_prefix() + "filters must be positive, got " + std::to_string(filters));
  detail::check_positive(kernel_size_, "kernel_size", error_prefix());
  detail::check_positive(options_.strides, "strides", error_prefix());
  detail::check_positive(options_.dilation_rate, "dilation_rate", error_prefix());
  detail::check_padding(options_.padding, error_prefix());
  detail::check_strides_with_dilation(options_.strides, options_.dilation_rate, error_prefix());
  activations::validate(options_.activation);
  initializers::validate(options_.kernel_initializer);  // the names now, not at the first call
  initializers::validate(options_.bias_initializer);
}

TL_INLINE Shape Conv2DImpl::output_shape_for(const Shape& in) const {
  detail::check_ndim(in, 4, name());
  check_channels(in);
  const Shape out{in[0], output_length(in[1], kernel_size_.h, options_.strides.h, options_.dilation_rate.h),
                  output_length(in[2], kernel_size_.w, options_.strides.w, options_.dilation_rate.w), filters_};
  detail::check_downsampled(in, out, kernel_size_, error_prefix());
  return out;
}

TL_INLINE void Conv2DImpl::build_for(const Shape& in) {
  output_shape_for(in);  // validates the rank before in[3] is read
  auto hwio = initializers::make(options_.kernel_initializer, {kernel_size_.h, kernel_size_.w, in[3], filters_});
  kernel_ = add_weight("kernel", hwio.permute({3, 2, 0, 1}).contiguous(), true, WeightLayout::conv_kernel);
  if (options_.use_bias) bias_ = add_weight("bias", initializers::make(options_.bias_initializer, {filters_}));
}

TL_INLINE torch::Tensor Conv2DImpl::forward_one(const torch::Tensor& x, bool) {
  const auto& o = options_;
  auto y = detail::tf_conv2d(x, kernel_, bias_, kernel_size_, o.strides, o.padding, o.dilation_rate);
  return activations::apply_reusing(options_.activation, y);  // y is new: ReLU in place
}

TL_INLINE json Conv2DImpl::get_config() const {
  const auto& o = options_;
  return config_with({{"filters", filters_}, {"kernel_size", config::pair(kernel_size_.h, kernel_size_.w)},
                      {"strides", config::pair(o.strides.h, o.strides.w)}, {"padding", o.padding},
                      {"data_format", "channels_last"},
                      {"dilation_rate", config::pair(o.dilation_rate.h, o.dilation_rate.w)}, {"groups", 1},
                      {"activation", config::activation(o.activation)}, {"use_bias", o.use_bias},
                      {"kernel_initializer", config::initializer(o.kernel_initializer)},
                      {"bias_initializer", config::initializer(o.bias_initializer)}, {"kernel_regularizer", nullptr},
                      {"bias_regularizer", nullptr}, {"activity_regularizer", nullptr},
                      {"kernel_constraint", nullptr}, {"bias_constraint", nullptr}});
}

TL_INLINE int64_t Conv2DImpl::output_length(int64_t in, int64_t kernel, int64_t stride, int64_t dilation) const {
  return detail::conv_output_length(in, kernel, options_.padding, stride, dilation);
}

TL_INLINE void Conv2DImpl::check_channels(const Shape& in) const {
  detail::check(in[3] != None, error_prefix() + "the channel dimension of the inputs should be defined, got input "
                                                "shape " + to_string(in));
  if (kernel_.defined())
    detail::check(in[3] == kernel_.size(1),
                  "Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected axis -1 of input "
                  "shape to have value " + std::to_string(kernel_.size(1)) + ", but received input with shape " +
                  to_string(in));
}

TL_INLINE Conv2D::Conv2D(int64_t filters, Size2 kernel_size, Conv2DOptions options)
    : LayerHandle(std::make_shared<Conv2DImpl>(filters, kernel_size, std::move(options))) {}

}  // namespace tl::layers
