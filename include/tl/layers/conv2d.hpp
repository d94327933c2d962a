#pragma once
// keras.layers.Conv2D: a 2-D convolution with TensorFlow's padding rules; kernel HWIO for Keras, OIHW inside.
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Conv2D, with Keras's defaults.
struct Conv2DOptions {
  Size2 strides = 1;
  std::string padding = "valid";  ///< "valid" or "same" (TensorFlow's: the odd pixel goes bottom/right)
  Size2 dilation_rate = 1;
  std::string activation = "";  ///< "" or "linear": none
  bool use_bias = true;
  std::string kernel_initializer = "glorot_uniform";
  std::string bias_initializer = "zeros";
  std::string name = "";
};

class Conv2DImpl : public SingleInputLayerImpl {
 public:
  Conv2DImpl(int64_t filters, Size2 kernel_size, Conv2DOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE void build_for(const Shape& in) override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  int64_t filters() const { return filters_; }
  Size2 kernel_size() const { return kernel_size_; }
  const Conv2DOptions& options() const { return options_; }

 private:
  int64_t output_length(int64_t in, int64_t kernel, int64_t stride, int64_t dilation) const;
  void check_channels(const Shape& in) const;

  int64_t filters_;
  Size2 kernel_size_;
  Conv2DOptions options_;
  torch::Tensor kernel_, bias_;
};

/// `keras.layers.Conv2D(filters, kernel_size, ...)`:
/// `auto y = tl::layers::Conv2D(64, 3, {.strides = 2, .padding = "same", .activation = "relu"})(x);`
class Conv2D : public LayerHandle<Conv2DImpl> {
 public:
  Conv2D(int64_t filters, Size2 kernel_size, Conv2DOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/conv2d-inl.hpp>
#endif
