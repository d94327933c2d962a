#pragma once
// keras.layers.MaxPooling2D and AveragePooling2D, with TensorFlow's 'same' padding: the odd pixel after,
// padding never the maximum, and averages over the window's pixels inside the image only.
#include <tl/layers/config.hpp>
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/layer.hpp>

#include <limits>

namespace tl::layers {

/// Keras's keyword arguments of MaxPooling2D and AveragePooling2D, with Keras's defaults.
struct Pooling2DOptions {
  Size2 pool_size = 2;
  Size2 strides = None;  ///< None: pool_size
  std::string padding = "valid";  ///< "valid" or "same"
  std::string name = "";
};
using MaxPooling2DOptions = Pooling2DOptions;
using AveragePooling2DOptions = Pooling2DOptions;

/// What the two pooling layers share: options, shapes and TensorFlow's padding amounts.
class Pooling2DImpl : public SingleInputLayerImpl {
 public:
  Pooling2DImpl(std::string class_name, Pooling2DOptions options)
      : SingleInputLayerImpl(std::move(class_name), options.name), options_(std::move(options)) {
    if (options_.strides == Size2(None)) options_.strides = options_.pool_size;
    detail::check_positive(options_.pool_size, "pool_size", error_prefix());
    detail::check_positive(options_.strides, "strides", error_prefix());
    detail::check_padding(options_.padding, error_prefix());
  }

  Shape output_shape_for(const Shape& in) const override {
    detail::check_ndim(in, 4, name());
    const auto& p = options_;
    const Shape out{in[0], detail::conv_output_length(in[1], p.pool_size.h, p.padding, p.strides.h),
                    detail::conv_output_length(in[2], p.pool_size.w, p.padding, p.strides.w), in[3]};
    detail::check_downsampled(in, out, p.pool_size, error_prefix());
    return out;
  }

  torch::Tensor forward_one(const torch::Tensor& x, bool) override {
    detail::AxisPadding ph, pw;
    if (options_.padding == "same") {
      ph = detail::same_padding(x.size(2), options_.pool_size.h, options_.strides.h);
      pw = detail::same_padding(x.size(3), options_.pool_size.w, options_.strides.w);
    }
    return pool(x, ph, pw);
  }

  const Pooling2DOptions& options() const { return options_; }
  io::json::Value get_config() const override {
    const auto& o = options_;
    return config_with({{"pool_size", config::pair(o.pool_size.h, o.pool_size.w)}, {"padding", o.padding},
                        {"strides", config::pair(o.strides.h, o.strides.w)}, {"data_format", "channels_last"}});
  }

 protected:
  /// Pools an NCHW tensor with TensorFlow's padding of each axis.
  virtual torch::Tensor pool(const torch::Tensor& x, detail::AxisPadding ph, detail::AxisPadding pw) const = 0;
  std::vector<int64_t> kernel() const { return {options_.pool_size.h, options_.pool_size.w}; }
  std::vector<int64_t> stride() const { return {options_.strides.h, options_.strides.w}; }

 private:
  Pooling2DOptions options_;
};

class MaxPooling2DImpl : public Pooling2DImpl {
 public:
  explicit MaxPooling2DImpl(Pooling2DOptions options) : Pooling2DImpl("MaxPooling2D", std::move(options)) {}

 protected:
  torch::Tensor pool(const torch::Tensor& x, detail::AxisPadding ph, detail::AxisPadding pw) const override {
    // torch pads max pooling with -inf itself; only the odd pixel after needs explicit padding.
    const auto padded = detail::pad_odd_pixel(x, ph, pw, -std::numeric_limits<double>::infinity());
    return torch::max_pool2d(padded, kernel(), stride(), {ph.before, pw.before});
  }
};

class AveragePooling2DImpl : public Pooling2DImpl {
 public:
  explicit AveragePooling2DImpl(Pooling2DOptions options) : Pooling2DImpl("AveragePooling2D", std::move(options)) {}

 protected:
  torch::Tensor pool(const torch::Tensor& x, detail::AxisPadding ph, detail::AxisPadding pw) const override {
    const bool symmetric = ph.before == ph.after && pw.before == pw.after;
    if (symmetric) return torch::avg_pool2d(x, kernel(), stride(), {ph.before, pw.before}, false, false);
    // Asymmetric padding: window sums divided by how many real pixels each window covers.
    const auto window_sums = [&](const torch::Tensor& t) {
      return torch::avg_pool2d(detail::pad_odd_pixel(t, ph, pw), kernel(), stride(), {ph.before, pw.before}, false,
                               true, /*divisor_override=*/1);
    };
    return window_sums(x) / window_sums(torch::ones({1, 1, x.size(2), x.size(3)}, x.options()));
  }
};

/// `keras.layers.MaxPooling2D(pool_size=2, strides=None, padding="valid")`:
/// `x = tl::layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same"})(x);`
class MaxPooling2D : public LayerHandle<MaxPooling2DImpl> {
 public:
  explicit MaxPooling2D(Pooling2DOptions options = {})
      : LayerHandle(std::make_shared<MaxPooling2DImpl>(std::move(options))) {}
};

/// `keras.layers.AveragePooling2D(pool_size=2, strides=None, padding="valid")`:
/// `x = tl::layers::AveragePooling2D({.pool_size = 2})(x);`
class AveragePooling2D : public LayerHandle<AveragePooling2DImpl> {
 public:
  explicit AveragePooling2D(Pooling2DOptions options = {})
      : LayerHandle(std::make_shared<AveragePooling2DImpl>(std::move(options))) {}
};

}  // namespace tl::layers
