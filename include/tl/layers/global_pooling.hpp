#pragma once
// keras.layers.GlobalAveragePooling2D and GlobalMaxPooling2D: one value per channel and image.
#include <tl/layers/config.hpp>
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of the global pooling layers.
struct GlobalPooling2DOptions {
  bool keepdims = false;  ///< keep H and W as size-1 axes: (N, 1, 1, C) instead of (N, C)
  std::string name = "";
};
using GlobalAveragePooling2DOptions = GlobalPooling2DOptions;
using GlobalMaxPooling2DOptions = GlobalPooling2DOptions;

/// What the two global pooling layers share; `reduce` works on the H, W axes of an NCHW tensor.
class GlobalPooling2DImpl : public SingleInputLayerImpl {
 public:
  GlobalPooling2DImpl(std::string class_name, GlobalPooling2DOptions options)
      : SingleInputLayerImpl(std::move(class_name), options.name), options_(std::move(options)) {}

  Shape output_shape_for(const Shape& in) const override {
    detail::check_ndim(in, 4, name());
    return options_.keepdims ? Shape{in[0], 1, 1, in[3]} : Shape{in[0], in[3]};
  }
  torch::Tensor forward_one(const torch::Tensor& x, bool) override { return reduce(x, options_.keepdims); }
  const GlobalPooling2DOptions& options() const { return options_; }
  io::json::Value get_config() const override {
    return config_with({{"data_format", "channels_last"}, {"keepdims", options_.keepdims}});
  }

 protected:
  virtual torch::Tensor reduce(const torch::Tensor& x, bool keepdims) const = 0;

 private:
  GlobalPooling2DOptions options_;
};

class GlobalAveragePooling2DImpl : public GlobalPooling2DImpl {
 public:
  explicit GlobalAveragePooling2DImpl(GlobalPooling2DOptions options)
      : GlobalPooling2DImpl("GlobalAveragePooling2D", std::move(options)) {}

 protected:
  torch::Tensor reduce(const torch::Tensor& x, bool keepdims) const override { return x.mean({2, 3}, keepdims); }
};

class GlobalMaxPooling2DImpl : public GlobalPooling2DImpl {
 public:
  explicit GlobalMaxPooling2DImpl(GlobalPooling2DOptions options)
      : GlobalPooling2DImpl("GlobalMaxPooling2D", std::move(options)) {}

 protected:
  torch::Tensor reduce(const torch::Tensor& x, bool keepdims) const override { return x.amax({2, 3}, keepdims); }
};

/// `keras.layers.GlobalAveragePooling2D()`: `x = tl::layers::GlobalAveragePooling2D()(x);` gives (None, C).
class GlobalAveragePooling2D : public LayerHandle<GlobalAveragePooling2DImpl> {
 public:
  explicit GlobalAveragePooling2D(GlobalPooling2DOptions options = {})
      : LayerHandle(std::make_shared<GlobalAveragePooling2DImpl>(std::move(options))) {}
};

/// `keras.layers.GlobalMaxPooling2D()`: `x = tl::layers::GlobalMaxPooling2D()(x);` gives (None, C).
class GlobalMaxPooling2D : public LayerHandle<GlobalMaxPooling2DImpl> {
 public:
  explicit GlobalMaxPooling2D(GlobalPooling2DOptions options = {})
      : LayerHandle(std::make_shared<GlobalMaxPooling2DImpl>(std::move(options))) {}
};

}  // namespace tl::layers
