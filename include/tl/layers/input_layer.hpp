#pragma once
// keras.Input / keras.layers.InputLayer: the entry point of a functional model.
#include <tl/layers/config.hpp>
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
  InputLayerImpl(Shape shape_without_batch, const InputOptions& options)
      : LayerImpl("InputLayer", options.name.empty() ? "input_" + std::to_string(backend::get_uid("input"))
                                                       : options.name) {
    for (auto d : shape_without_batch)
      detail::check(d == None || d > 0, "Input: shape dimensions must be positive or None, got " +
                                            to_string(shape_without_batch));
    shape_.push_back(options.batch_size);
    shape_.insert(shape_.end(), shape_without_batch.begin(), shape_without_batch.end());
  }
  Shape compute_output_shape(const std::vector<Shape>&) const override { return shape_; }
  torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool) override { return inputs.at(0); }

  /// Creates the input's graph node (Keras's node 0 of an InputLayer).
  KerasTensor make_tensor() {
    return new_node({}, shape_);
  }
  const Shape& batch_shape() const { return shape_; }
  io::json::Value get_config() const override {
    return io::json::Object{{"batch_input_shape", config::shape(shape_)}, {"dtype", "float32"}, {"sparse", false},
                            {"ragged", false}, {"name", name()}};
  }

 private:
  Shape shape_;
};

/// Keras's `keras.layers.InputLayer(input_shape=...)`, for the first entry of a Sequential.
class InputLayer : public LayerHandle<InputLayerImpl> {
 public:
  explicit InputLayer(Shape input_shape, const InputOptions& options = {})
      : LayerHandle(std::make_shared<InputLayerImpl>(std::move(input_shape), options)) {}
};

}  // namespace tl::layers

namespace tl {

/// `keras.Input(shape)`: a symbolic tensor to build a functional model from. The shape excludes the batch:
/// `auto inputs = tl::Input({512, 512, 3});` has shape `(None, 512, 512, 3)`.
inline KerasTensor Input(Shape shape, const layers::InputOptions& options = {}) {
  return std::make_shared<layers::InputLayerImpl>(std::move(shape), options)->make_tensor();
}

}  // namespace tl
