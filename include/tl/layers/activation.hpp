#pragma once
// keras.layers.Activation: applies a named activation function.
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Activation.
struct ActivationOptions {
  std::string name = "";
};

class ActivationImpl : public SingleInputLayerImpl {
 public:
  ActivationImpl(std::string activation, const ActivationOptions& options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool training) override;
  TL_INLINE json get_config() const override;
  const std::string& activation() const { return activation_; }

 private:
  std::string activation_;
};

/// `keras.layers.Activation("relu")`: `x = tl::layers::Activation("relu")(x);`
class Activation : public LayerHandle<ActivationImpl> {
 public:
  explicit Activation(std::string activation, const ActivationOptions& options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/activation-inl.hpp>
#endif
