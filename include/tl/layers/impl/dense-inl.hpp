#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/activations.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/dense.hpp>
#include <tl/layers/initializers.hpp>

namespace tl::layers {

TL_INLINE DenseImpl::DenseImpl(int64_t units, DenseOptions options)
    : SingleInputLayerImpl("Dense", options.name), units_(units), options_(std::move(options)) {
  detail::check(units > 0, error_prefix() + "units must be positive, got " + std::to_string(units));
  activations::validate(options_.activation);
}

TL_INLINE Shape DenseImpl::output_shape_for(const Shape& in) const {
  detail::check(in.size() >= 2 && in.back() != None,
                error_prefix() + "the last dimension of the input must be defined, got input shape " + to_string(in));
  if (kernel_.defined())
    detail::check(in.back() == kernel_.size(0), error_prefix() + "expected input shape (..., " +
                                                    std::to_string(kernel_.size(0)) + "), got " + to_string(in));
  Shape out = in;
  out.back() = units_;
  return out;
}

TL_INLINE void DenseImpl::build_for(const Shape& in) {
  kernel_ = add_weight("kernel", initializers::make(options_.kernel_initializer, {in.back(), units_}));
  if (options_.use_bias) bias_ = add_weight("bias", initializers::make(options_.bias_initializer, {units_}));
}

TL_INLINE torch::Tensor DenseImpl::forward_one(const torch::Tensor& x, bool) {
  // Keras applies Dense to the last (channel) axis; inside tl that is axis 1 of an image tensor.
  if (x.dim() == 4) return to_internal_layout(forward_one(to_keras_layout(x), false));
  auto y = torch::matmul(x, kernel_);
  if (bias_.defined()) y = y + bias_;
  return activations::apply_reusing(options_.activation, y);  // y is new: ReLU in place
}

TL_INLINE json DenseImpl::get_config() const {
  return config_with({{"units", units_}, {"activation", config::activation(options_.activation)},
                      {"use_bias", options_.use_bias},
                      {"kernel_initializer", config::initializer(options_.kernel_initializer)},
                      {"bias_initializer", config::initializer(options_.bias_initializer)},
                      {"kernel_regularizer", nullptr}, {"bias_regularizer", nullptr},
                      {"activity_regularizer", nullptr}, {"kernel_constraint", nullptr},
                      {"bias_constraint", nullptr}});
}

TL_INLINE Dense::Dense(int64_t units, DenseOptions options)
    : LayerHandle(std::make_shared<DenseImpl>(units, std::move(options))) {}

}  // namespace tl::layers
