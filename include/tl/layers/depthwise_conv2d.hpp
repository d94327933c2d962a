#pragma once
// keras.layers.DepthwiseConv2D: one spatial filter per input channel and multiplier (MobileNet, EfficientNet),
// a grouped torch convolution with TensorFlow's padding; kernel (kh, kw, C, M) for Keras.
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of DepthwiseConv2D, with Keras's defaults.
struct DepthwiseConv2DOptions {
  Size2 strides = 1;
  std::string padding = "valid";  ///< "valid" or "same" (TensorFlow's: the odd pixel goes bottom/right)
  int64_t depth_multiplier = 1;   ///< filters per input channel: output channel c·depth_multiplier + m
  Size2 dilation_rate = 1;
  std::string activation = "";  ///< "" or "linear": none
  bool use_bias = true;
  std::string depthwise_initializer = "glorot_uniform";
  std::string bias_initializer = "zeros";
  std::string name = "";
};

class DepthwiseConv2DImpl : public SingleInputLayerImpl {
 public:
  DepthwiseConv2DImpl(Size2 kernel_size, DepthwiseConv2DOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE void build_for(const Shape& in) override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;

  Size2 kernel_size() const { return kernel_size_; }
  const DepthwiseConv2DOptions& options() const { return options_; }
  /// The kernel as the grouped convolution takes it, `(C·M, 1, kh, kw)` (a view of the weight), once built.
  torch::Tensor kernel() const;
  /// The bias `(C·M)`, undefined without one.
  const torch::Tensor& bias() const { return bias_; }
  /// This layer's convolution (padding included, no activation) with another `(C·M, 1, kh, kw)` kernel and
  /// bias: what a BatchNormalization folded into this layer computes.
  torch::Tensor convolve(const torch::Tensor& x, const torch::Tensor& kernel, const torch::Tensor& bias) const;

 private:
  void check_channels(const Shape& in) const;

  Size2 kernel_size_;
  DepthwiseConv2DOptions options_;
  torch::Tensor kernel_, bias_;  // kernel_ (C, M, kh, kw): WeightLayout::depthwise_kernel
};

/// `keras.layers.DepthwiseConv2D(kernel_size, ...)`:
/// `x = tl::layers::DepthwiseConv2D(3, {.strides = 2, .padding = "same", .use_bias = false})(x);`
class DepthwiseConv2D : public LayerHandle<DepthwiseConv2DImpl> {
 public:
  explicit DepthwiseConv2D(Size2 kernel_size, DepthwiseConv2DOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/depthwise_conv2d-inl.hpp>
#endif
