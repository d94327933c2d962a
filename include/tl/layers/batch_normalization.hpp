#pragma once
// keras.layers.BatchNormalization with Keras's momentum convention and TF2's rule for frozen layers.
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of BatchNormalization, with Keras's defaults.
struct BatchNormalizationOptions {
  int64_t axis = -1;  ///< the Keras (channels-last) axis that is normalized per feature
  double momentum = 0.99;  ///< Keras's: moving = moving * momentum + batch * (1 - momentum)
  double epsilon = 1e-3;
  bool center = true;  ///< learn beta
  bool scale = true;   ///< learn gamma
  std::string name = "";
};

class BatchNormalizationImpl : public SingleInputLayerImpl {
 public:
  explicit BatchNormalizationImpl(BatchNormalizationOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE void build_for(const Shape& in) override;
  /// Batch statistics (and a moving-average update) only when training a trainable layer: a frozen BN keeps
  /// normalizing with its moving statistics, as in TF2, so fine-tuning a frozen base does not wreck it.
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  /// A trainable BN updates its moving statistics while training, even with center and scale off.
  TL_INLINE bool frozen_in_training() const override;
  TL_INLINE json get_config() const override;
  const BatchNormalizationOptions& options() const { return options_; }

 private:
  /// The normalized axis as an index into the Keras shape.
  size_t keras_axis(const Shape& in) const;
  /// The normalized axis in tl's internal layout, where images are NCHW.
  int64_t internal_axis(int64_t rank) const;

  BatchNormalizationOptions options_;
  int64_t built_axis_ = -1;  ///< the axis from 0 once built: Keras's config then writes it as `[3]`
  torch::Tensor gamma_, beta_, moving_mean_, moving_variance_;
};

/// `keras.layers.BatchNormalization()`: `x = tl::layers::BatchNormalization({.epsilon = 1.001e-5})(x);`
class BatchNormalization : public LayerHandle<BatchNormalizationImpl> {
 public:
  explicit BatchNormalization(BatchNormalizationOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/batch_normalization-inl.hpp>
#endif
