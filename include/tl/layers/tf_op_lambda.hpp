#pragma once
// tf.keras's TFOpLambda: the layer Keras records when a TensorFlow operator meets a symbolic tensor, e.g.
// MobileNetV3's `x + 3.0` (tf.__operators__.add) and `x * (1 / 6)` (tf.math.multiply), tensor with a constant.
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of TFOpLambda.
struct TFOpLambdaOptions {
  std::string name = "";  ///< empty: Keras's `tf.<function>`, `tf.<function>_1`, ... skipping names taken explicitly
};

/// `function(x, y)` for a constant `y`, computed as TensorFlow does in float32 (`y` rounded to float32).
/// `function` is the TF API symbol without `tf.`: "__operators__.add", "math.add", "math.subtract",
/// "math.multiply", "math.truediv". Keras writes `y` into the model config as the call's argument (the inbound
/// node's kwargs `{"y": 3.0, "name": null}`), not into the layer config, which holds `function` only.
class TFOpLambdaImpl : public SingleInputLayerImpl {
 public:
  TFOpLambdaImpl(std::string function, double y, const TFOpLambdaOptions& options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  /// In place on an input nobody else sees.
  TL_INLINE torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool training) override;
  TL_INLINE json get_config() const override;
  TL_INLINE json call_kwargs() const override;
  bool preserve_input_structure_in_config() const override { return true; }
  const std::string& function() const { return function_; }
  double y() const { return y_; }

  /// The functions TFOpLambda computes in tl.
  static const std::vector<std::string>& supported_functions();

 private:
  torch::Tensor compute(torch::Tensor x, bool in_place) const;
  std::string function_;
  double y_;
};

/// `tf.__operators__.add(x, 3.0)` as Keras records `x + 3.0`:
/// `x = tl::layers::TFOpLambda("__operators__.add", 3.0)(x);`, `tl::layers::TFOpLambda("math.multiply", 1.0 / 6)(x)`.
class TFOpLambda : public LayerHandle<TFOpLambdaImpl> {
 public:
  TFOpLambda(std::string function, double y, const TFOpLambdaOptions& options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/tf_op_lambda-inl.hpp>
#endif
