#pragma once
// keras.layers.Rescaling: x * scale + offset, e.g. pixels from [0, 255] to [0, 1].
#include <tl/layers/config.hpp>
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Rescaling.
struct RescalingOptions {
  double offset = 0;
  std::string name = "";
};

class RescalingImpl : public SingleInputLayerImpl {
 public:
  RescalingImpl(double scale, RescalingOptions options)
      : SingleInputLayerImpl("Rescaling", options.name), scale_(scale), options_(std::move(options)) {}
  Shape output_shape_for(const Shape& in) const override { return in; }
  torch::Tensor forward_one(const torch::Tensor& x, bool) override {
    return options_.offset == 0 ? x * scale_ : x * scale_ + options_.offset;
  }
  double scale() const { return scale_; }
  double offset() const { return options_.offset; }
  io::json::Value get_config() const override { return config_with({{"scale", scale_}, {"offset", options_.offset}}); }

 private:
  double scale_;
  RescalingOptions options_;
};

/// `keras.layers.Rescaling(scale, offset=0)`: `x = tl::layers::Rescaling(1.0 / 127.5, {.offset = -1})(x);`
class Rescaling : public LayerHandle<RescalingImpl> {
 public:
  explicit Rescaling(double scale, RescalingOptions options = {})
      : LayerHandle(std::make_shared<RescalingImpl>(scale, std::move(options))) {}
};

}  // namespace tl::layers
