#pragma once
// keras.Sequential: a linear stack of layers, built as a functional graph once its input shape is known.
#include <tl/models/model.hpp>

namespace tl::models {

class SequentialImpl : public ModelImpl {
 public:
  explicit SequentialImpl(const std::vector<Layer>& layers, const std::string& name = "")
      : ModelImpl(name.empty() ? backend::unique_name("sequential") : name, "Sequential") {
    for (const auto& l : layers) add(l);
  }

  /// Keras's `model.add(layer)`. A first InputLayer fixes the input shape and builds the graph as layers come;
  /// otherwise the model is built on its first call with data.
  void add(const Layer& layer) {
    tl::detail::check(!compiled(), "Sequential \"" + name() + "\": add layers before compile()");
    if (auto input = std::dynamic_pointer_cast<layers::InputLayerImpl>(layer.ptr())) {
      tl::detail::check(layers_added_.empty() && !input_.defined(),
                        "Sequential \"" + name() + "\": an InputLayer can only be its first layer");
      input_ = output_ = input->make_tensor();
      return;
    }
    layers_added_.push_back(layer.ptr());
    if (input_.defined()) {
      output_ = layer.ptr()->call_symbolic({output_});
      init_graph({input_}, {output_});
    }
  }

  /// Builds the graph for inputs of this Keras shape (batch first), as Keras's `model.build(input_shape)`.
  void build_for_shape(const Shape& batch_shape) {
    if (input_.defined()) return;
    tl::detail::check(!layers_added_.empty(), "Sequential \"" + name() + "\" has no layers");
    input_ = output_ = Input(Shape(batch_shape.begin() + 1, batch_shape.end()));
    for (const auto& l : layers_added_) output_ = l->call_symbolic({output_});
    init_graph({input_}, {output_});
  }

  torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) override {
    if (!graph_built() && !inputs.empty()) build_for_shape(keras_shape_of(inputs[0]));
    return ModelImpl::forward_internal(inputs, training);
  }
  Shape compute_output_shape(const std::vector<Shape>& input_shapes) const override {
    if (graph_built()) return ModelImpl::compute_output_shape(input_shapes);
    Shape s = input_shapes.at(0);
    for (const auto& l : layers_added_) s = l->compute_output_shape({s});
    return s;
  }

 private:
  static Shape keras_shape_of(const torch::Tensor& internal) {
    auto t = to_keras_layout(internal);
    Shape s(t.sizes().begin(), t.sizes().end());
    s[0] = None;
    return s;
  }

  KerasTensor input_, output_;
  std::vector<std::shared_ptr<layers::LayerImpl>> layers_added_;
};

/// `keras.Sequential([...])`: `tl::Sequential model({tl::layers::InputLayer({28, 28, 1}), tl::layers::Flatten(),
/// tl::layers::Dense(10, {.activation = "softmax"})});`
class Sequential : public ModelHandle<SequentialImpl> {
 public:
  explicit Sequential(const std::vector<Layer>& layers = {}, const std::string& name = "")
      : ModelHandle(std::make_shared<SequentialImpl>(layers, name)) {}
  void add(const Layer& layer) const { (*this)->add(layer); }
};

}  // namespace tl::models

namespace tl {
using models::Sequential;
}
