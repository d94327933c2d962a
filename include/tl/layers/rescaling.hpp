#pragma once
// keras.layers.Rescaling: x * scale + offset, e.g. pixels from [0, 255] to [0, 1].
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Rescaling.
struct RescalingOptions {
  double offset = 0;
  std::string name = "";
};

class RescalingImpl : public SingleInputLayerImpl {
 public:
  RescalingImpl(double scale, RescalingOptions options);
  Shape output_shape_for(const Shape& in) const override;
  torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  json get_config() const override;
  double scale() const { return scale_; }
  double offset() const { return options_.offset; }

 private:
  double scale_;
  RescalingOptions options_;
};

/// `keras.layers.Rescaling(scale, offset=0)`: `x = tl::layers::Rescaling(1.0 / 127.5, {.offset = -1})(x);`
class Rescaling : public LayerHandle<RescalingImpl> {
 public:
  explicit Rescaling(double scale, RescalingOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/rescaling-inl.hpp>
#endif
