#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/activations.hpp>
#include <tl/layers/config.hpp>

namespace tl::layers {

TL_INLINE ActivationImpl::ActivationImpl(std::string activation, const ActivationOptions& options)
    : SingleInputLayerImpl("Activation", options.name), activation_(std::move(activation)) {
  try {
    activations::validate(activation_);
  } catch (const ValueError& e) {
    throw ValueError(error_prefix() + e.what());
  }
}

TL_INLINE Shape ActivationImpl::output_shape_for(const Shape& in) const { return in; }

TL_INLINE torch::Tensor ActivationImpl::forward_one(const torch::Tensor& x, bool) {
  return activations::apply(activation_, x);
}

TL_INLINE torch::Tensor ActivationImpl::forward_reusing(std::vector<torch::Tensor>& inputs, bool) {
  return activations::apply_reusing(activation_, inputs.at(0));
}

TL_INLINE json ActivationImpl::get_config() const {
  return config_with({{"activation", config::activation(activation_)}});
}

TL_INLINE Activation::Activation(std::string activation, const ActivationOptions& options)
    : LayerHandle(std::make_shared<ActivationImpl>(std::move(activation), options)) {}

}  // namespace tl::layers
