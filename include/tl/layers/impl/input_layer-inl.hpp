#pragma once
#include <tl/core/backend.hpp>
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/input_layer.hpp>

namespace tl::layers {

TL_INLINE InputLayerImpl::InputLayerImpl(Shape shape_without_batch, const InputOptions& options)
    : LayerImpl("InputLayer",
                options.name.empty() ? "input_" + std::to_string(backend::get_uid("input")) : options.name) {
  for (auto d : shape_without_batch)
    detail::check(d == None || d > 0, "Input: shape dimensions must be positive or None, got " +
                                          to_string(shape_without_batch));
  shape_.push_back(options.batch_size);
  shape_.insert(shape_.end(), shape_without_batch.begin(), shape_without_batch.end());
}

TL_INLINE Shape InputLayerImpl::compute_output_shape(const std::vector<Shape>&) const { return shape_; }

TL_INLINE torch::Tensor InputLayerImpl::forward_internal(const std::vector<torch::Tensor>& inputs, bool) {
  return inputs.at(0);
}

TL_INLINE KerasTensor InputLayerImpl::make_tensor() { return new_node({}, shape_); }

TL_INLINE json InputLayerImpl::get_config() const {
  return json{{"batch_input_shape", config::shape(shape_)}, {"dtype", "float32"}, {"sparse", false},
              {"ragged", false}, {"name", name()}};
}

TL_INLINE InputLayer::InputLayer(Shape input_shape, const InputOptions& options)
    : LayerHandle(std::make_shared<InputLayerImpl>(std::move(input_shape), options)) {}

}  // namespace tl::layers

namespace tl {

TL_INLINE KerasTensor Input(Shape shape, const layers::InputOptions& options) {
  return std::make_shared<layers::InputLayerImpl>(std::move(shape), options)->make_tensor();
}

}  // namespace tl
