#pragma once
// keras.layers.Reshape: a new shape for each sample, row-major over Keras's (H, W, C) order.
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Reshape.
struct ReshapeOptions {
  std::string name = "";
};

class ReshapeImpl : public SingleInputLayerImpl {
 public:
  /// `target_shape` excludes the batch dimension; one entry may be -1 (inferred).
  ReshapeImpl(std::vector<int64_t> target_shape, const ReshapeOptions& options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  /// A view where the memory allows it: channels_last images are already in Keras's order.
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  const std::vector<int64_t>& target_shape() const { return target_shape_; }

 private:
  std::vector<int64_t> target_shape_;
};

/// `keras.layers.Reshape(target_shape)`: `se = tl::layers::Reshape({1, 1, 96}, {.name = "se_reshape"})(se);`
class Reshape : public LayerHandle<ReshapeImpl> {
 public:
  explicit Reshape(std::vector<int64_t> target_shape, const ReshapeOptions& options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/reshape-inl.hpp>
#endif
