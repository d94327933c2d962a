#pragma once
// keras.Sequential: a linear stack of layers, built as a functional graph once its input shape is known.
#include <tl/core/config.hpp>
#include <tl/models/model.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tl::models {

class SequentialImpl : public ModelImpl {
 public:
  explicit SequentialImpl(const std::vector<Layer>& layers, const std::string& name = "");

  /// Keras's `model.add(layer)`. A first InputLayer fixes the input shape and builds the graph as layers come;
  /// otherwise the model is built on its first call with data.
  void add(const Layer& layer);

  /// Builds the graph for inputs of this Keras shape (batch first), as Keras's `model.build(input_shape)`.
  void build_for_shape(const Shape& batch_shape);

  TL_INLINE torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) override;
  TL_INLINE Shape compute_output_shape(const std::vector<Shape>& input_shapes) const override;
  /// Before its graph is built (a Sequential without an InputLayer, called inside a model), from the layers added:
  /// `keras.Sequential([RandomFlip(...), ...])` is random while training even before its first batch.
  TL_INLINE bool frozen_in_training() const override;

 private:
  static Shape keras_shape_of(const torch::Tensor& internal);

  KerasTensor input_, output_;
  std::vector<std::shared_ptr<layers::LayerImpl>> layers_added_;
};

/// `keras.Sequential([...])`: `tl::Sequential model({tl::layers::InputLayer({28, 28, 1}), tl::layers::Flatten(),
/// tl::layers::Dense(10, {.activation = "softmax"})});`
class Sequential : public ModelHandle<SequentialImpl> {
 public:
  explicit Sequential(const std::vector<Layer>& layers = {}, const std::string& name = "");
  void add(const Layer& layer) const { (*this)->add(layer); }
};

}  // namespace tl::models

namespace tl {
using models::Sequential;
}

#ifdef TL_HEADER_ONLY
#include <tl/models/impl/sequential-inl.hpp>
#endif
