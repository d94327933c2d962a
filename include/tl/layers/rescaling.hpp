#pragma once
// keras.layers.Rescaling: x * scale + offset, e.g. pixels from [0, 255] to [0, 1]; scale and offset may be per
// channel (EfficientNet's 1 / sqrt(stddev)).
#include <tl/layers/layer.hpp>
#include <tl/layers/scalars.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Rescaling.
struct RescalingOptions {
  Scalars offset = 0.0;  ///< a number, or one per channel
  std::string name = "";
};

class RescalingImpl : public SingleInputLayerImpl {
 public:
  RescalingImpl(Scalars scale, RescalingOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  /// Keras's `x * float32(scale) + float32(offset)`, per channel on the last Keras axis.
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  const Scalars& scale() const { return scale_; }
  const Scalars& offset() const { return options_.offset; }

 private:
  /// `values` as a float32 tensor that broadcasts over the channel axis of `x` (a scalar stays a number).
  torch::Tensor per_channel(const Scalars& values, const torch::Tensor& x) const;

  Scalars scale_;
  RescalingOptions options_;
};

/// `keras.layers.Rescaling(scale, offset=0)`: `x = tl::layers::Rescaling(1.0 / 127.5, {.offset = -1})(x);`,
/// `tl::layers::Rescaling({2.0897, 2.1129, 2.1082})(x)` per channel.
class Rescaling : public LayerHandle<RescalingImpl> {
 public:
  explicit Rescaling(Scalars scale, RescalingOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/rescaling-inl.hpp>
#endif
