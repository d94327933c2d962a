#pragma once
// keras.layers.Dropout: zeroes a fraction `rate` of the inputs while training, scaling the rest by 1 / (1 - rate).
#include <tl/layers/layer.hpp>

#include <optional>

namespace tl::layers {

/// Keras's keyword arguments of Dropout.
struct DropoutOptions {
  /// The shape of the random mask, batch first, in Keras's (NHWC) order; None entries take the input's size:
  /// `{None, 1, 1, 1}` drops whole samples (EfficientNet's drop-connect). Default: the input's shape.
  std::optional<Shape> noise_shape = std::nullopt;
  std::optional<uint64_t> seed = std::nullopt;  ///< makes the masks reproducible (drawn on the CPU)
  std::string name = "";
};

class DropoutImpl : public SingleInputLayerImpl {
 public:
  DropoutImpl(double rate, DropoutOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  TL_INLINE bool frozen_in_training() const override;  // random while training
  double rate() const { return rate_; }
  const DropoutOptions& options() const { return options_; }

 private:
  double rate_;
  DropoutOptions options_;
  at::Generator generator_;
};

/// `keras.layers.Dropout(rate)`: `x = tl::layers::Dropout(0.2)(x);` (a no-op outside training);
/// `tl::layers::Dropout(0.2, {.noise_shape = tl::Shape{tl::None, 1, 1, 1}, .name = "block2b_drop"})`.
class Dropout : public LayerHandle<DropoutImpl> {
 public:
  explicit Dropout(double rate, DropoutOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/dropout-inl.hpp>
#endif
