#pragma once
// keras.layers.Activation: applies a named activation function.
#include <tl/layers/activations.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Activation.
struct ActivationOptions {
  std::string name = "";
};

class ActivationImpl : public SingleInputLayerImpl {
 public:
  ActivationImpl(std::string activation, const ActivationOptions& options)
      : SingleInputLayerImpl("Activation", options.name), activation_(std::move(activation)) {
    try {
      activations::validate(activation_);
    } catch (const ValueError& e) {
      throw ValueError(error_prefix() + e.what());
    }
  }
  Shape output_shape_for(const Shape& in) const override { return in; }
  torch::Tensor forward_one(const torch::Tensor& x, bool) override { return activations::apply(activation_, x); }
  torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool) override {
    return activations::apply_reusing(activation_, inputs.at(0));
  }
  const std::string& activation() const { return activation_; }
  io::json::Value get_config() const override { return config_with({{"activation", config::activation(activation_)}}); }

 private:
  std::string activation_;
};

/// `keras.layers.Activation("relu")`: `x = tl::layers::Activation("relu")(x);`
class Activation : public LayerHandle<ActivationImpl> {
 public:
  explicit Activation(std::string activation, const ActivationOptions& options = {})
      : LayerHandle(std::make_shared<ActivationImpl>(std::move(activation), options)) {}
};

}  // namespace tl::layers
