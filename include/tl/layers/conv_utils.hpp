#pragma once
// Keras's conv_utils: 2-D sizes given as an int or {h, w}, output lengths, and TensorFlow's 'same' padding.
#include <tl/core/config.hpp>
#include <tl/core/shape.hpp>

#include <torch/types.h>

#include <string>

namespace tl::layers {

/// A height/width pair that Keras accepts as an int or a tuple: `.strides = 2` or `.strides = {2, 1}`.
struct Size2 {
  int64_t h = 1;
  int64_t w = 1;
  Size2(int64_t both) : h(both), w(both) {}  // NOLINT: implicit, as Keras takes a bare int
  Size2(int64_t height, int64_t width) : h(height), w(width) {}
  bool operator==(const Size2&) const = default;
  /// As Python prints the tuple: `(3, 3)`.
  std::string str() const;
};

}  // namespace tl::layers

namespace tl::detail {

using layers::Size2;

/// Padding of one spatial axis; TensorFlow puts the odd pixel of 'same' padding after.
struct AxisPadding {
  int64_t before = 0;
  int64_t after = 0;
};

/// Throws ValueError unless `padding` is "valid" or "same".
void check_padding(const std::string& padding, const std::string& prefix);

/// Throws ValueError unless both entries of `size` are positive.
void check_positive(const Size2& size, const std::string& argument, const std::string& prefix);

/// Throws ValueError when both strides and dilation_rate exceed 1 (TensorFlow supports one or the other).
void check_strides_with_dilation(const Size2& strides, const Size2& dilation_rate, const std::string& prefix);

/// Throws ValueError unless a Keras input shape has rank `ndim` (Keras's InputSpec message).
void check_ndim(const Shape& shape, size_t ndim, const std::string& layer_name);

/// Keras's `conv_output_length`: the output size of one axis, None for None.
int64_t conv_output_length(int64_t in, int64_t kernel, const std::string& padding, int64_t stride,
                           int64_t dilation = 1);

/// Throws ValueError when a window larger than the input leaves a spatial output dimension <= 0.
void check_downsampled(const Shape& in, const Shape& out, const Size2& window, const std::string& prefix);

/// TensorFlow's 'same' padding of one axis: enough for ceil(in / stride) outputs, the odd pixel after.
AxisPadding same_padding(int64_t in, int64_t kernel, int64_t stride, int64_t dilation = 1);

/// Pads the bottom and right of an NCHW tensor by what 'same' padding puts after beyond what it puts before,
/// so that the symmetric `before` padding of a torch op completes TensorFlow's asymmetric padding.
torch::Tensor pad_odd_pixel(const torch::Tensor& x, AxisPadding h, AxisPadding w, double value = 0);

/// TensorFlow's 2-D convolution on tl's NCHW tensors ("valid", or "same" as TF pads it: the odd pixel after),
/// grouped when `groups` > 1 (depthwise: groups = input channels). Conv2D's relatives share it.
torch::Tensor tf_conv2d(const torch::Tensor& x, const torch::Tensor& kernel, const torch::Tensor& bias,
                        Size2 kernel_size, Size2 strides, const std::string& padding, Size2 dilation,
                        int64_t groups = 1);

}  // namespace tl::detail

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/conv_utils-inl.hpp>
#endif
