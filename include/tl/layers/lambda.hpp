#pragma once
// The Keras `Lambda` layers tl can run: tl cannot save or load Python code, so it provides the one Lambda
// keras.applications uses, InceptionResNetV2's scaled residual `inputs[0] + inputs[1] * scale`, as a layer whose
// class_name is "Lambda" (summary() and model files name it as Keras does).
#include <tl/layers/merge.hpp>

#include <optional>

namespace tl::layers {

/// Keras's keyword arguments of the scaled-residual Lambda.
struct ScaledResidualOptions {
  /// Keras's `output_shape` argument without the batch dimension, written into the config as given
  /// (InceptionResNetV2 passes `int_shape(x)[1:]`); by default none (`null`), the inputs' shape.
  std::optional<Shape> output_shape = std::nullopt;
  std::string name = "";
};

/// `Lambda(lambda inputs, scale: inputs[0] + inputs[1] * scale, output_shape=..., arguments={"scale": scale})`.
///
/// Its config is Keras 2.11's Lambda config with `"function": "tl_scaled_residual"` and `"function_type":
/// "function"` (`"module": "tl.layers"`) in place of marshalled Python bytecode: tl::models::load_model builds it
/// back, and Keras loads such a file given `custom_objects={"tl_scaled_residual": lambda inputs, scale: inputs[0]
/// + inputs[1] * scale}`. tl also loads the Lambda of Keras's own InceptionResNetV2 files (bytecode from the
/// module keras.applications.inception_resnet_v2 with the single argument `scale`); any other Lambda is refused.
class ScaledResidualImpl : public ElementwiseMergeImpl {
 public:
  ScaledResidualImpl(double scale, ScaledResidualOptions options);
  /// In place on the branch (`up * scale + x`) or the shortcut when nobody else sees it.
  TL_INLINE torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool training) override;
  TL_INLINE json get_config() const override;
  double scale() const { return scale_; }
  const ScaledResidualOptions& options() const { return options_; }

  /// The value of `"function"` in tl's configs.
  static constexpr const char* function_name = "tl_scaled_residual";
  /// True when a Lambda config (Keras's or tl's) is this layer's.
  static bool recognizes(const json& config);

 protected:
  /// Two inputs of one shape (broadcasting as the elementwise merges), and Keras's `output_shape` if given.
  TL_INLINE Shape merged_shape(const std::vector<Shape>& shapes) const override;
  TL_INLINE torch::Tensor merge_two(const torch::Tensor& a, const torch::Tensor& b) const override;
  TL_INLINE void merge_into(torch::Tensor& into, const torch::Tensor& b) const override;

 private:
  double scale_;
  ScaledResidualOptions options_;
};

/// InceptionResNetV2's residual connection: `x = tl::layers::ScaledResidual(0.17, {.name = "block35_1"})({x, up});`
class ScaledResidual : public MergeHandle<ScaledResidualImpl> {
 public:
  explicit ScaledResidual(double scale, ScaledResidualOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/lambda-inl.hpp>
#endif
