#pragma once
#include <tl/core/backend.hpp>
#include <tl/core/json.hpp>
#include <tl/layers/layer.hpp>

#include <mutex>
#include <set>

namespace tl::detail {

struct ObservedNames {
  std::mutex mutex;
  std::set<std::string> names;
};

TL_INLINE ObservedNames& observed_names() {
  static ObservedNames observed;
  return observed;
}

// The names live beside backend's uid counters, which clear_session() resets: a counter of its own, back at 1
// after a reset, tells that the session the names belong to has ended.
TL_INLINE std::set<std::string>& current_observed_names() {
  auto& names = observed_names().names;
  if (backend::get_uid("\x01observed object names") == 1) names.clear();
  return names;
}

TL_INLINE void observe_object_name(const std::string& name) {
  std::lock_guard lock(observed_names().mutex);
  current_observed_names().insert(name);
}

TL_INLINE bool is_observed_object_name(const std::string& name) {
  std::lock_guard lock(observed_names().mutex);
  return current_observed_names().count(name) > 0;
}

TL_INLINE std::string unique_object_name_avoiding_observed(const std::string& base) {
  for (;;) {
    auto name = backend::unique_name(base);
    if (!is_observed_object_name(name)) return name;
  }
}

}  // namespace tl::detail

namespace tl::layers {

TL_INLINE LayerImpl::LayerImpl(std::string class_name, const std::string& name)
    : torch::nn::Module(class_name),
      class_name_(std::move(class_name)),
      name_(name.empty() ? backend::unique_name(backend::to_snake_case(class_name_)) : name) {
  if (!name.empty()) tl::detail::observe_object_name(name);
}

TL_INLINE void LayerImpl::build(const std::vector<Shape>& /*input_shapes*/) {}

TL_INLINE torch::Tensor LayerImpl::forward_reusing(std::vector<torch::Tensor>& inputs, bool training) {
  return forward_internal(inputs, training);
}

TL_INLINE void LayerImpl::maybe_build(const std::vector<Shape>& input_shapes) {
  if (built_) return;
  build(input_shapes);
  built_ = true;
}

TL_INLINE KerasTensor LayerImpl::call_symbolic(const std::vector<KerasTensor>& inputs) {
  std::vector<Shape> shapes;
  for (const auto& t : inputs) {
    detail::check(t.defined(), "Layer \"" + name_ + "\" was called on an undefined KerasTensor");
    shapes.push_back(t.shape());
  }
  maybe_build(shapes);
  return new_node(inputs, compute_output_shape(shapes));
}

TL_INLINE torch::Tensor LayerImpl::call(const torch::Tensor& x, bool training) {
  Shape shape(x.sizes().begin(), x.sizes().end());
  shape[0] = None;
  maybe_build({shape});
  compute_output_shape({shape});  // validates, naming this layer
  return to_keras_layout(forward_internal({to_internal_layout(x)}, training));
}

TL_INLINE std::vector<Weight> LayerImpl::weights() const { return own_weights_; }

TL_INLINE std::vector<Weight> LayerImpl::trainable_weights() const {
  std::vector<Weight> out;
  for (auto& w : weights())
    if (w.trainable) out.push_back(w);
  return out;
}

TL_INLINE std::vector<Weight> LayerImpl::non_trainable_weights() const {
  std::vector<Weight> out;
  for (auto& w : weights())
    if (!w.trainable) out.push_back(w);
  return out;
}

TL_INLINE int64_t LayerImpl::count_params() const { return tl::count_params(weights()); }

TL_INLINE std::vector<torch::Tensor> LayerImpl::get_weights() const {
  std::vector<torch::Tensor> out;
  for (auto& w : weights()) out.push_back(w.get());
  return out;
}

TL_INLINE void LayerImpl::set_weights(const std::vector<torch::Tensor>& values) {
  auto ws = weights();
  detail::check(values.size() == ws.size(), "Layer \"" + name_ + "\" expects " + std::to_string(ws.size()) +
                                                " weights, but received " + std::to_string(values.size()));
  for (size_t i = 0; i < ws.size(); ++i) ws[i].set(values[i], name_);
}

TL_INLINE json LayerImpl::call_kwargs() const { return json::object(); }

TL_INLINE json LayerImpl::get_config() const {
  return json{{"name", name_}, {"trainable", trainable_}, {"dtype", "float32"}};
}

TL_INLINE bool LayerImpl::frozen_in_training() const { return trainable_weights().empty(); }

TL_INLINE void LayerImpl::set_trainable(bool value) {
  trainable_ = value;
  for (auto& w : own_weights_) w.trainable = value && w.trainable_by_design;
  for (auto& w : own_weights_) w.value.requires_grad_(w.trainable);
}

TL_INLINE torch::Tensor LayerImpl::to_internal_layout(const torch::Tensor& x) {
  return x.dim() == 4 ? x.permute({0, 3, 1, 2}) : x;
}
TL_INLINE torch::Tensor LayerImpl::to_keras_layout(const torch::Tensor& x) {
  return x.dim() == 4 ? x.permute({0, 2, 3, 1}) : x;
}

TL_INLINE torch::Tensor LayerImpl::add_weight(const std::string& weight_name, torch::Tensor value, bool trainable,
                                              WeightLayout layout) {
  value = trainable ? register_parameter(weight_name, value) : register_buffer(weight_name, value);
  // Keras's `Layer._name_scope()`: the weights of a layer built inside backend.name_scope(...) carry its path.
  const auto scope = backend::current_name_scope();
  Weight w{(scope.empty() ? "" : scope + "/") + name_ + "/" + weight_name + ":0", value, trainable && trainable_,
           layout, trainable};
  w.value.requires_grad_(w.trainable);
  own_weights_.push_back(w);
  return value;
}

TL_INLINE KerasTensor LayerImpl::new_node(const std::vector<KerasTensor>& inputs, const Shape& output_shape) {
  auto node = std::make_shared<tl::Node>();
  node->layer = std::static_pointer_cast<LayerImpl>(torch::nn::Module::shared_from_this());
  node->inputs = inputs;
  node->output_shape = output_shape;
  node->index = node_count();
  call_shapes_.push_back(output_shape);
  return KerasTensor(std::move(node));
}

TL_INLINE void LayerImpl::set_own_call(const Shape& output_shape) {
  if (call_shapes_.empty()) call_shapes_.push_back(output_shape);
  else call_shapes_[0] = output_shape;
}

TL_INLINE json LayerImpl::config_with(json extra) const {
  auto config = LayerImpl::get_config();
  for (auto it = extra.begin(); it != extra.end(); ++it) config[it.key()] = std::move(it.value());
  return config;
}

TL_INLINE void SingleInputLayerImpl::build_for(const Shape& /*input_shape*/) {}

TL_INLINE Shape SingleInputLayerImpl::compute_output_shape(const std::vector<Shape>& input_shapes) const {
  detail::check(input_shapes.size() == 1, error_prefix() + "expects 1 input, but it received " +
                                              std::to_string(input_shapes.size()) + " input tensors");
  return output_shape_for(input_shapes[0]);
}

TL_INLINE void SingleInputLayerImpl::build(const std::vector<Shape>& input_shapes) { build_for(input_shapes.at(0)); }

TL_INLINE torch::Tensor SingleInputLayerImpl::forward_internal(const std::vector<torch::Tensor>& inputs,
                                                               bool training) {
  return forward_one(inputs.at(0), training);
}

}  // namespace tl::layers
