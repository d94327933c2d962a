#pragma once
// keras.layers.Flatten: one feature vector per sample, in Keras's channels-last element order.
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Flatten.
struct FlattenOptions {
  std::string name = "";
};

class FlattenImpl : public SingleInputLayerImpl {
 public:
  explicit FlattenImpl(const FlattenOptions& options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  /// Images are NCHW inside tl; flattening them in H, W, C order gives a following Dense Keras's weight order.
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
};

/// `keras.layers.Flatten()`: `x = tl::layers::Flatten()(x);`
class Flatten : public LayerHandle<FlattenImpl> {
 public:
  explicit Flatten(const FlattenOptions& options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/flatten-inl.hpp>
#endif
