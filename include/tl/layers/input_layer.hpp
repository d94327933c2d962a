#pragma once
// keras.Input / keras.layers.InputLayer: the entry point of a functional model.
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Options of `Input` (Keras's keyword arguments).
struct InputOptions {
  std::string name = "";  ///< default "input_1", "input_2", ...
  int64_t batch_size = None;
};

/// The layer behind `tl::Input`: it has no weights and passes its input through.
class InputLayerImpl : public LayerImpl {
 public:
  InputLayerImpl(Shape shape_without_batch, const InputOptions& options);
  TL_INLINE Shape compute_output_shape(const std::vector<Shape>& input_shapes) const override;
  TL_INLINE torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) override;
  TL_INLINE json get_config() const override;
  /// Creates the input's graph node (Keras's node 0 of an InputLayer).
  KerasTensor make_tensor();
  const Shape& batch_shape() const { return shape_; }

 private:
  Shape shape_;
};

/// Keras's `keras.layers.InputLayer(input_shape=...)`, for the first entry of a Sequential.
class InputLayer : public LayerHandle<InputLayerImpl> {
 public:
  explicit InputLayer(Shape input_shape, const InputOptions& options = {});
};

}  // namespace tl::layers

namespace tl {

/// `keras.Input(shape)`: a symbolic tensor to build a functional model from. The shape excludes the batch:
/// `auto inputs = tl::Input({512, 512, 3});` has shape `(None, 512, 512, 3)`.
KerasTensor Input(Shape shape, const layers::InputOptions& options = {});

}  // namespace tl

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/input_layer-inl.hpp>
#endif
