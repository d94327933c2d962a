#pragma once
#include <tl/core/errors.hpp>
#include <tl/layers/conv_utils.hpp>

#include <algorithm>

namespace tl::layers {

// Appends: GCC 12 warns falsely on `"(" + std::to_string(...)`.
TL_INLINE std::string Size2::str() const {
  std::string s = "(";
  s.append(std::to_string(h)).append(", ").append(std::to_string(w));
  return s + ")";
}

}  // namespace tl::layers

namespace tl::detail {

TL_INLINE void check_padding(const std::string& padding, const std::string& prefix) {
  check(padding == "valid" || padding == "same", prefix + "padding must be \"valid\" or \"same\", got \"" + padding + "\"");
}

TL_INLINE void check_positive(const Size2& size, const std::string& argument, const std::string& prefix) {
  check(size.h > 0 && size.w > 0, prefix + argument + " must be positive, got " + size.str());
}

TL_INLINE void check_strides_with_dilation(const Size2& strides, const Size2& dilation_rate,
                                           const std::string& prefix) {
  const bool strided = strides.h > 1 || strides.w > 1;
  const bool dilated = dilation_rate.h > 1 || dilation_rate.w > 1;
  check(!(strided && dilated), prefix + "strides > 1 not supported in conjunction with dilation_rate > 1, got strides=" +
                                   strides.str() + " and dilation_rate=" + dilation_rate.str());
}

TL_INLINE void check_ndim(const Shape& shape, size_t ndim, const std::string& layer_name) {
  check(shape.size() == ndim, "Input 0 of layer \"" + layer_name + "\" is incompatible with the layer: expected ndim=" +
                                  std::to_string(ndim) + ", found ndim=" + std::to_string(shape.size()) +
                                  ". Full shape received: " + to_string(shape));
}

TL_INLINE int64_t conv_output_length(int64_t in, int64_t kernel, const std::string& padding, int64_t stride,
                                     int64_t dilation) {
  if (in == None) return None;
  const int64_t dilated = (kernel - 1) * dilation + 1;
  const int64_t length = padding == "same" ? in : in - dilated + 1;
  return length <= 0 ? length : (length + stride - 1) / stride;
}

TL_INLINE void check_downsampled(const Shape& in, const Shape& out, const Size2& window, const std::string& prefix) {
  // A known input size whose output is <= 0 (an output of -1 is not None here: it comes from a known size).
  const auto empty = [&](size_t axis) { return in[axis] != None && out[axis] <= 0; };
  check(!empty(1) && !empty(2),
        prefix + "one of the dimensions in the output is <= 0 due to downsampling. Consider increasing the input "
                 "size. Received input shape " + to_string(in) + " and window " + window.str() +
            ", which would produce output shape " + to_string(out));
}

TL_INLINE AxisPadding same_padding(int64_t in, int64_t kernel, int64_t stride, int64_t dilation) {
  const int64_t out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>((out - 1) * stride + (kernel - 1) * dilation + 1 - in, 0);
  return {total / 2, total - total / 2};
}

TL_INLINE torch::Tensor pad_odd_pixel(const torch::Tensor& x, AxisPadding h, AxisPadding w, double value) {
  if (h.after == h.before && w.after == w.before) return x;
  return torch::constant_pad_nd(x, {0, w.after - w.before, 0, h.after - h.before}, value);
}

TL_INLINE torch::Tensor tf_conv2d(const torch::Tensor& x, const torch::Tensor& kernel, const torch::Tensor& bias,
                                  Size2 kernel_size, Size2 strides, const std::string& padding, Size2 dilation,
                                  int64_t groups) {
  AxisPadding ph, pw;
  if (padding == "same") {
    ph = same_padding(x.size(2), kernel_size.h, strides.h, dilation.h);
    pw = same_padding(x.size(3), kernel_size.w, strides.w, dilation.w);
  }
  return torch::conv2d(pad_odd_pixel(x, ph, pw), kernel, bias, {strides.h, strides.w}, {ph.before, pw.before},
                       {dilation.h, dilation.w}, groups);
}

}  // namespace tl::detail
