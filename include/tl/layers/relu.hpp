#pragma once
// keras.layers.ReLU: max(x, 0) with Keras's optional cap, leak and threshold (ReLU(6.) in the MobileNets).
#include <tl/layers/layer.hpp>

#include <optional>

namespace tl::layers {

/// Keras's keyword arguments of ReLU, with Keras's defaults. Keras stores them as float32.
struct ReLUOptions {
  std::optional<double> max_value = std::nullopt;  ///< cap (>= 0); none by default
  double negative_slope = 0;                      ///< slope below the threshold (>= 0)
  double threshold = 0;                           ///< values at or below it are 0 (or leak); Keras allows >= 0
  std::string name = "";
};

/// Keras's `backend.relu(x, alpha=negative_slope, max_value, threshold)` as tf.keras 2.11 computes it (its
/// docstring's formula differs at the edges): `x` where `x > threshold` (0 at equality; plain relu when the
/// threshold is 0), clipped to `[0, max_value]` when a cap is set, minus `negative_slope · relu(threshold − x)`;
/// `tf.nn.leaky_relu` when only the slope is set, `tf.nn.relu6` for a cap of 6 without threshold.
class ReLUImpl : public SingleInputLayerImpl {
 public:
  explicit ReLUImpl(ReLUOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  /// In place on an input nobody else sees (the usual BN -> ReLU).
  TL_INLINE torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool training) override;
  TL_INLINE json get_config() const override;
  const ReLUOptions& options() const { return options_; }

 private:
  torch::Tensor compute(const torch::Tensor& x, bool in_place) const;
  ReLUOptions options_;
};

/// `keras.layers.ReLU(max_value=None, negative_slope=0, threshold=0)`:
/// `x = tl::layers::ReLU(6.0, {.name = "Conv1_relu"})(x);` or `tl::layers::ReLU({.negative_slope = 0.1})(x)`.
class ReLU : public LayerHandle<ReLUImpl> {
 public:
  explicit ReLU(ReLUOptions options = {});
  /// Keras's positional `ReLU(max_value)`.
  explicit ReLU(double max_value, ReLUOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/relu-inl.hpp>
#endif
