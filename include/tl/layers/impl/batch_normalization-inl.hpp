#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/config.hpp>

namespace tl::layers {

TL_INLINE BatchNormalizationImpl::BatchNormalizationImpl(BatchNormalizationOptions options)
    : SingleInputLayerImpl("BatchNormalization", options.name), options_(std::move(options)) {
  detail::check(options_.axis != 0, error_prefix() + "axis 0 is the batch axis and cannot be normalized");
  detail::check(options_.momentum >= 0 && options_.momentum <= 1,
                error_prefix() + "momentum must be in [0, 1], got " + std::to_string(options_.momentum));
  detail::check(options_.epsilon > 0, error_prefix() + "epsilon must be positive, got " +
                                          std::to_string(options_.epsilon));
}

TL_INLINE Shape BatchNormalizationImpl::output_shape_for(const Shape& in) const {
  const auto axis = keras_axis(in);
  detail::check(in[axis] != None, error_prefix() + "axis " + std::to_string(options_.axis) +
                                      " of the input should have a defined dimension, but the layer received an "
                                      "input with shape " + to_string(in));
  if (moving_mean_.defined())
    detail::check(in[axis] == moving_mean_.size(0),
                  "Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected axis " +
                      std::to_string(options_.axis) + " of input shape to have value " +
                      std::to_string(moving_mean_.size(0)) + ", but received input with shape " + to_string(in));
  return in;
}

TL_INLINE void BatchNormalizationImpl::build_for(const Shape& in) {
  const int64_t features = output_shape_for(in)[keras_axis(in)];
  built_axis_ = int64_t(keras_axis(in));
  if (options_.scale) gamma_ = add_weight("gamma", torch::ones({features}));
  if (options_.center) beta_ = add_weight("beta", torch::zeros({features}));
  moving_mean_ = add_weight("moving_mean", torch::zeros({features}), false);
  moving_variance_ = add_weight("moving_variance", torch::ones({features}), false);
}

TL_INLINE torch::Tensor BatchNormalizationImpl::forward_one(const torch::Tensor& x, bool training) {
  const int64_t channel_axis = internal_axis(x.dim());
  auto moved = channel_axis == 1 ? x : x.movedim(channel_axis, 1);
  // torch's momentum weighs the new batch, Keras's the old average; the update uses the unbiased batch
  // variance, as TensorFlow's fused kernel does.
  auto y = torch::batch_norm(moved, gamma_, beta_, moving_mean_, moving_variance_, training && trainable(),
                             1.0 - options_.momentum, options_.epsilon, /*cudnn_enabled=*/true);
  return channel_axis == 1 ? y : y.movedim(1, channel_axis);
}

TL_INLINE bool BatchNormalizationImpl::frozen_in_training() const { return !trainable(); }

TL_INLINE json BatchNormalizationImpl::get_config() const {
  // Keras turns `axis` into a list of non-negative axes when it builds the layer.
  const json axis = built_axis_ >= 0 ? json::array({built_axis_}) : json(options_.axis);
  return config_with({{"axis", axis}, {"momentum", options_.momentum}, {"epsilon", options_.epsilon},
                      {"center", options_.center}, {"scale", options_.scale},
                      {"beta_initializer", config::initializer("zeros")},
                      {"gamma_initializer", config::initializer("ones")},
                      {"moving_mean_initializer", config::initializer("zeros")},
                      {"moving_variance_initializer", config::initializer("ones")}, {"beta_regularizer", nullptr},
                      {"gamma_regularizer", nullptr}, {"beta_constraint", nullptr}, {"gamma_constraint", nullptr}});
}

TL_INLINE size_t BatchNormalizationImpl::keras_axis(const Shape& in) const {
  const auto rank = static_cast<int64_t>(in.size());
  const int64_t axis = options_.axis < 0 ? options_.axis + rank : options_.axis;
  detail::check(rank >= 2 && axis >= 1 && axis < rank, error_prefix() + "invalid axis " +
                                                            std::to_string(options_.axis) + " for input shape " +
                                                            to_string(in));
  return static_cast<size_t>(axis);
}

TL_INLINE int64_t BatchNormalizationImpl::internal_axis(int64_t rank) const {
  const int64_t axis = options_.axis < 0 ? options_.axis + rank : options_.axis;
  if (rank != 4) return axis;
  static constexpr int64_t nhwc_to_nchw[] = {0, 2, 3, 1};
  return nhwc_to_nchw[axis];
}

TL_INLINE BatchNormalization::BatchNormalization(BatchNormalizationOptions options)
    : LayerHandle(std::make_shared<BatchNormalizationImpl>(std::move(options))) {}

}  // namespace tl::layers
