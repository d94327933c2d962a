#pragma once
// keras.layers.Cropping2D: removes rows above/below and columns left/right of an image (a view, no copy).
#include <tl/layers/layer.hpp>
#include <tl/layers/zero_padding2d.hpp>

namespace tl::layers {

/// Cropping2D's `cropping`, as Keras accepts it: `1`, `{1, 2}` (rows, columns) or `{{top, bottom}, {left, right}}`.
using Cropping2DSize = Padding2D;

/// Keras's keyword arguments of Cropping2D.
struct Cropping2DOptions {
  std::string name = "";
};

class Cropping2DImpl : public SingleInputLayerImpl {
 public:
  Cropping2DImpl(Cropping2DSize cropping, const Cropping2DOptions& options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  const Cropping2DSize& cropping() const { return cropping_; }

 private:
  Cropping2DSize cropping_;
};

/// `keras.layers.Cropping2D(cropping=((0, 0), (0, 0)))`: `x = tl::layers::Cropping2D({{1, 0}, {1, 0}})(x);`
class Cropping2D : public LayerHandle<Cropping2DImpl> {
 public:
  explicit Cropping2D(Cropping2DSize cropping = 0, const Cropping2DOptions& options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/cropping2d-inl.hpp>
#endif
