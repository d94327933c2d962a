#pragma once
// Keras's conv_utils: 2-D sizes given as an int or {h, w}, output lengths, and TensorFlow's 'same' padding.
#include <tl/core/errors.hpp>
#include <tl/core/shape.hpp>

#include <torch/torch.h>

#include <string>

namespace tl::layers {

/// A height/width pair that Keras accepts as an int or a tuple: `.strides = 2` or `.strides = {2, 1}`.
struct Size2 {
  int64_t h = 1;
  int64_t w = 1;
  Size2(int64_t both) : h(both), w(both) {}  // NOLINT: implicit, as Keras takes a bare int
  Size2(int64_t height, int64_t width) : h(height), w(width) {}
  bool operator==(const Size2&) const = default;
  /// As Python prints the tuple: `(3, 3)`. (Appends: GCC 12 warns falsely on `"(" + std::to_string(...)`.)
  std::string str() const {
    std::string s = "(";
    s.append(std::to_string(h)).append(", ").append(std::to_string(w));
    return s + ")";
  }
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
inline void check_padding(const std::string& padding, const std::string& prefix) {
  check(padding == "valid" || padding == "same",
                    prefix + "padding must be \"valid\" or \"same\", got \"" + padding + "\"");
}

/// Throws ValueError unless both entries of `size` are positive.
inline void check_positive(const Size2& size, const std::string& argument, const std::string& prefix) {
  check(size.h > 0 && size.w > 0, prefix + argument + " must be positive, got " + size.str());
}

/// Throws ValueError unless a Keras input shape has rank `ndim` (Keras's InputSpec message).
inline void check_ndim(const Shape& shape, size_t ndim, const std::string& layer_name) {
  check(shape.size() == ndim, "Input 0 of layer \"" + layer_name +
                                              "\" is incompatible with the layer: expected ndim=" +
                                              std::to_string(ndim) + ", found ndim=" + std::to_string(shape.size()) +
                                              ". Full shape received: " + to_string(shape));
}

/// Keras's `conv_output_length`: the output size of one axis, None for None.
inline int64_t conv_output_length(int64_t in, int64_t kernel, const std::string& padding, int64_t stride,
                                  int64_t dilation = 1) {
  if (in == None) return None;
  const int64_t dilated = (kernel - 1) * dilation + 1;
  const int64_t length = padding == "same" ? in : in - dilated + 1;
  return length <= 0 ? length : (length + stride - 1) / stride;
}

/// Throws ValueError when a window larger than the input leaves a spatial output dimension <= 0.
inline void check_downsampled(const Shape& in, const Shape& out, const Size2& window, const std::string& prefix) {
  const auto empty = [](int64_t d) { return d != None && d <= 0; };
  check(!empty(out[1]) && !empty(out[2]),
        prefix + "one of the dimensions in the output is <= 0 due to downsampling. Consider increasing the input "
                 "size. Received input shape " + to_string(in) + " and window " + window.str() +
            ", which would produce output shape " + to_string(out));
}

/// TensorFlow's 'same' padding of one axis: enough for ceil(in / stride) outputs, the odd pixel after.
inline AxisPadding same_padding(int64_t in, int64_t kernel, int64_t stride, int64_t dilation = 1) {
  const int64_t out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>((out - 1) * stride + (kernel - 1) * dilation + 1 - in, 0);
  return {total / 2, total - total / 2};
}

/// Pads the bottom and right of an NCHW tensor by what 'same' padding puts after beyond what it puts before,
/// so that the symmetric `before` padding of a torch op completes TensorFlow's asymmetric padding.
inline torch::Tensor pad_odd_pixel(const torch::Tensor& x, AxisPadding h, AxisPadding w, double value = 0) {
  if (h.after == h.before && w.after == w.before) return x;
  return torch::constant_pad_nd(x, {0, w.after - w.before, 0, h.after - h.before}, value);
}

}  // namespace tl::detail
