#pragma once
#include <tl/core/backend.hpp>
#include <tl/core/errors.hpp>
#include <tl/layers/input_layer.hpp>
#include <tl/models/sequential.hpp>

#include <algorithm>

namespace tl::models {

TL_INLINE SequentialImpl::SequentialImpl(const std::vector<Layer>& layers, const std::string& name)
    : ModelImpl(name.empty() ? backend::unique_name("sequential") : name, "Sequential") {
  for (const auto& l : layers) add(l);
}

TL_INLINE void SequentialImpl::add(const Layer& layer) {
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

TL_INLINE void SequentialImpl::build_for_shape(const Shape& batch_shape) {
  if (input_.defined()) return;
  tl::detail::check(!layers_added_.empty(), "Sequential \"" + name() + "\" has no layers");
  input_ = output_ = Input(Shape(batch_shape.begin() + 1, batch_shape.end()));
  for (const auto& l : layers_added_) output_ = l->call_symbolic({output_});
  init_graph({input_}, {output_});
}

TL_INLINE torch::Tensor SequentialImpl::forward_internal(const std::vector<torch::Tensor>& inputs, bool training) {
  if (!graph_built() && !inputs.empty()) build_for_shape(keras_shape_of(inputs[0]));
  return ModelImpl::forward_internal(inputs, training);
}

TL_INLINE Shape SequentialImpl::compute_output_shape(const std::vector<Shape>& input_shapes) const {
  if (graph_built()) return ModelImpl::compute_output_shape(input_shapes);
  Shape s = input_shapes.at(0);
  for (const auto& l : layers_added_) s = l->compute_output_shape({s});
  return s;
}

TL_INLINE bool SequentialImpl::frozen_in_training() const {
  if (graph_built()) return ModelImpl::frozen_in_training();
  return std::all_of(layers_added_.begin(), layers_added_.end(), [](const auto& l) { return l->frozen_in_training(); });
}

TL_INLINE Shape SequentialImpl::keras_shape_of(const torch::Tensor& internal) {
  auto t = to_keras_layout(internal);
  Shape s(t.sizes().begin(), t.sizes().end());
  s[0] = None;
  return s;
}

TL_INLINE Sequential::Sequential(const std::vector<Layer>& layers, const std::string& name)
    : ModelHandle(std::make_shared<SequentialImpl>(layers, name)) {}

}  // namespace tl::models
