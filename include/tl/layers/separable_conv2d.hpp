#pragma once
// keras.layers.SeparableConv2D: a depthwise convolution (stride, padding and dilation apply here) then a 1x1
// pointwise one (Xception, NASNet); kernels depthwise (kh, kw, C, M) and pointwise (1, 1, C·M, filters).
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of SeparableConv2D, with Keras's defaults.
struct SeparableConv2DOptions {
  Size2 strides = 1;
  std::string padding = "valid";  ///< "valid" or "same" (TensorFlow's: the odd pixel goes bottom/right)
  Size2 dilation_rate = 1;
  int64_t depth_multiplier = 1;  ///< depthwise filters per input channel
  std::string activation = "";   ///< "" or "linear": none
  bool use_bias = true;
  std::string depthwise_initializer = "glorot_uniform";
  std::string pointwise_initializer = "glorot_uniform";
  std::string bias_initializer = "zeros";
  std::string name = "";
};

class SeparableConv2DImpl : public SingleInputLayerImpl {
 public:
  SeparableConv2DImpl(int64_t filters, Size2 kernel_size, SeparableConv2DOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE void build_for(const Shape& in) override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;

  int64_t filters() const { return filters_; }
  Size2 kernel_size() const { return kernel_size_; }
  const SeparableConv2DOptions& options() const { return options_; }
  /// The depthwise kernel as a grouped convolution takes it, `(C·M, 1, kh, kw)` (a view of the weight).
  torch::Tensor depthwise_kernel() const;
  /// The pointwise kernel, torch's `(filters, C·M, 1, 1)`.
  const torch::Tensor& pointwise_kernel() const { return pointwise_kernel_; }
  /// The bias `(filters)`, undefined without one.
  const torch::Tensor& bias() const { return bias_; }
  /// The depthwise step alone (padding included): its `(N, C·M, H', W')` result.
  torch::Tensor depthwise(const torch::Tensor& x) const;
  /// This layer's computation (no activation) with another pointwise kernel and bias: what a
  /// BatchNormalization folded into this layer computes.
  torch::Tensor convolve(const torch::Tensor& x, const torch::Tensor& pointwise_kernel,
                         const torch::Tensor& bias) const;

 private:
  void check_channels(const Shape& in) const;

  int64_t filters_;
  Size2 kernel_size_;
  SeparableConv2DOptions options_;
  torch::Tensor depthwise_kernel_, pointwise_kernel_, bias_;
};

/// `keras.layers.SeparableConv2D(filters, kernel_size, ...)`:
/// `x = tl::layers::SeparableConv2D(128, 3, {.padding = "same", .use_bias = false})(x);`
class SeparableConv2D : public LayerHandle<SeparableConv2DImpl> {
 public:
  SeparableConv2D(int64_t filters, Size2 kernel_size, SeparableConv2DOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/separable_conv2d-inl.hpp>
#endif
