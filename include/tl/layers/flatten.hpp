#pragma once
// keras.layers.Flatten: one feature vector per sample, in Keras's channels-last element order.
#include <tl/layers/config.hpp>
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Flatten.
struct FlattenOptions {
  std::string name = "";
};

class FlattenImpl : public SingleInputLayerImpl {
 public:
  explicit FlattenImpl(const FlattenOptions& options) : SingleInputLayerImpl("Flatten", options.name) {}
  io::json::Value get_config() const override { return config_with({{"data_format", "channels_last"}}); }

  Shape output_shape_for(const Shape& in) const override {
    detail::check(!in.empty(), error_prefix() + "expects an input with a batch dimension, got shape " + to_string(in));
    int64_t features = 1;
    for (size_t i = 1; i < in.size(); ++i) features = (in[i] == None || features == None) ? None : features * in[i];
    return {in[0], features};
  }
  /// Images are NCHW inside tl; flattening them in H, W, C order gives a following Dense Keras's weight order.
  torch::Tensor forward_one(const torch::Tensor& x, bool) override {
    if (x.dim() == 1) return x.unsqueeze(1);
    return to_keras_layout(x).reshape({x.size(0), -1});
  }
};

/// `keras.layers.Flatten()`: `x = tl::layers::Flatten()(x);`
class Flatten : public LayerHandle<FlattenImpl> {
 public:
  explicit Flatten(const FlattenOptions& options = {}) : LayerHandle(std::make_shared<FlattenImpl>(options)) {}
};

}  // namespace tl::layers
