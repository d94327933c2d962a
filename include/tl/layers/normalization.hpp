#pragma once
// keras.layers.Normalization: (x - mean) / sqrt(variance) per feature (EfficientNet's stem), with the mean,
// variance and count weights tf.keras 2.x stores when they are not given as arguments.
#include <tl/layers/layer.hpp>
#include <tl/layers/scalars.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Normalization, with Keras's defaults.
struct NormalizationOptions {
  std::vector<int64_t> axis = {-1};          ///< the Keras axes kept (one mean per position); {} is None
  Scalars mean = {};      ///< given with variance: constants instead of weights (a number, or one per kept
  Scalars variance = {};  ///< position); none by default
  bool invert = false;  ///< `mean + x * sqrt(variance)` instead (tf.keras 2.11 leaves it out of get_config)
  std::string name = "";
};

/// Without `mean` and `variance` the layer has three non-trainable weights, as tf.keras: `mean` and `variance`
/// (float32, the kept axes' shape; zeros and ones until set or loaded) and `count` (int64 scalar).
/// It computes Keras's `(x - mean) / max(sqrt(variance), 1e-7)`; integer inputs become float32 first.
class NormalizationImpl : public SingleInputLayerImpl {
 public:
  explicit NormalizationImpl(NormalizationOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE void build_for(const Shape& in) override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  const NormalizationOptions& options() const { return options_; }

 private:
  /// The kept axes, from 0, for inputs of rank `rank`; throws ValueError as Keras's build.
  std::vector<int64_t> keep_axes(const Shape& in) const;
  /// `values` (kept-axes shape) reshaped to broadcast over an input in tl's layout.
  torch::Tensor broadcast(const torch::Tensor& values, int64_t rank) const;

  NormalizationOptions options_;
  std::vector<int64_t> broadcast_shape_;  ///< Keras layout, 1 on reduced axes
  torch::Tensor mean_, variance_, count_;
};

/// `keras.layers.Normalization(axis=-1, mean=None, variance=None)`:
/// `x = tl::layers::Normalization({.axis = {3}})(x);` then set_weights or load the file's mean/variance/count, or
/// `tl::layers::Normalization({.mean = {0.485, 0.456, 0.406}, .variance = {0.052, 0.050, 0.051}})`.
class Normalization : public LayerHandle<NormalizationImpl> {
 public:
  explicit Normalization(NormalizationOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/normalization-inl.hpp>
#endif
