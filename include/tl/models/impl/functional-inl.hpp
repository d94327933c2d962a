#pragma once
#include <tl/core/backend.hpp>
#include <tl/core/errors.hpp>
#include <tl/models/detail/graph.hpp>
#include <tl/models/detail/interrupt.hpp>
#include <tl/models/detail/training_state.hpp>
#include <tl/models/functional.hpp>

#include <algorithm>
#include <set>

namespace tl::models {

namespace detail {
TL_INLINE TrainingState& training_state(ModelImpl& model) { return *model.training_; }
TL_INLINE const TrainingState& training_state(const ModelImpl& model) { return *model.training_; }
}  // namespace detail

TL_INLINE ModelImpl::ModelImpl(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs,
                               const std::string& name, const std::string& class_name)
    : LayerImpl(class_name, name.empty() ? backend::unique_name("model") : name),
      training_(std::make_unique<detail::TrainingState>()) {
  if (const auto* replicate = detail::current_replica_factory()) training_->data_parallel = (*replicate)();
  init_graph(std::move(inputs), std::move(outputs));
}

TL_INLINE ModelImpl::ModelImpl(const std::string& name, const std::string& class_name)
    : LayerImpl(class_name, name), training_(std::make_unique<detail::TrainingState>()) {
  if (const auto* replicate = detail::current_replica_factory()) training_->data_parallel = (*replicate)();
}

TL_INLINE ModelImpl::~ModelImpl() = default;

TL_INLINE std::shared_ptr<layers::LayerImpl> ModelImpl::get_layer(const std::string& layer_name) const {
  for (const auto& l : layers_)
    if (l->name() == layer_name) return l;
  throw ValueError("No such layer: " + layer_name + ". Existing layers are: " + layer_names() + ".");
}

TL_INLINE std::shared_ptr<layers::LayerImpl> ModelImpl::get_layer(size_t index) const {
  tl::detail::check(index < layers_.size(), "Was asked to retrieve layer at index " + std::to_string(index) +
                                                " but model only has " + std::to_string(layers_.size()) + " layers.");
  return layers_[index];
}

TL_INLINE std::vector<Weight> ModelImpl::weights() const {
  std::vector<Weight> out;
  for (const auto& l : layers_)
    for (auto& w : l->weights()) out.push_back(w);
  return out;
}

TL_INLINE void ModelImpl::set_trainable(bool value) {
  LayerImpl::set_trainable(value);
  for (const auto& l : layers_) l->set_trainable(value);
}

TL_INLINE Shape ModelImpl::compute_output_shape(const std::vector<Shape>& input_shapes) const {
  require_graph();
  tl::detail::check(input_shapes.size() == inputs_.size(),
                    "Layer \"" + name() + "\" expects " + std::to_string(inputs_.size()) +
                        " input(s), but it received " + std::to_string(input_shapes.size()) + " input tensors.");
  std::map<const Node*, Shape> shapes;
  for (size_t i = 0; i < inputs_.size(); ++i) shapes[inputs_[i].node().get()] = check_input(i, input_shapes[i]);
  for (const auto& node : plan_) {
    if (shapes.count(node.get())) continue;
    std::vector<Shape> in;
    for (const auto& t : node->inputs) in.push_back(shapes.at(t.node().get()));
    shapes[node.get()] = node->layer->compute_output_shape(in);
  }
  return shapes.at(outputs_[0].node().get());
}

TL_INLINE torch::Tensor ModelImpl::forward_internal(const std::vector<torch::Tensor>& inputs, bool training) {
  require_graph();
  tl::detail::check(inputs.size() == inputs_.size(), "Model \"" + name() + "\" expects " +
                                                         std::to_string(inputs_.size()) + " input(s), got " +
                                                         std::to_string(inputs.size()));
  std::vector<torch::Tensor> slots(plan_.size());
  for (size_t i = 0; i < inputs.size(); ++i) slots[input_slots_[i]] = inputs[i];
  run(slots, 0, training);
  return slots[output_slot_];
}

TL_INLINE bool ModelImpl::frozen_in_training() const {
  return std::all_of(layers_.begin(), layers_.end(), [](const auto& l) { return l->frozen_in_training(); });
}

TL_INLINE int ModelImpl::frozen_prefix_end() const {
  if (inputs_.size() != 1) return -1;
  int cut = -1;
  for (size_t s = 0; s < plan_.size() && plan_[s]->layer->frozen_in_training(); ++s)
    if (int(s) != output_slot_ && consumers_outside_prefix_only_use(int(s))) cut = int(s);
  return cut == input_slots_[0] ? -1 : cut;
}

TL_INLINE torch::Tensor ModelImpl::forward_prefix(const torch::Tensor& input, int cut) {
  std::vector<torch::Tensor> slots(plan_.size());
  slots[input_slots_[0]] = input;
  run(slots, 0, false, cut + 1);
  return slots[cut];
}

TL_INLINE torch::Tensor ModelImpl::forward_suffix(const torch::Tensor& value, int cut, bool training) {
  std::vector<torch::Tensor> slots(plan_.size());
  slots[cut] = value;
  run(slots, cut + 1, training);
  return slots[output_slot_];
}

TL_INLINE bool ModelImpl::compiled() const { return training_->compiled(); }

TL_INLINE torch::Device ModelImpl::device() const {
  for (const auto& w : weights()) return w.value.device();
  return torch::kCPU;
}

TL_INLINE const std::shared_ptr<optimizers::Optimizer>& ModelImpl::optimizer() const { return training_->optimizer; }

TL_INLINE void ModelImpl::resume_at_epoch(int epoch) {
  tl::detail::check(epoch >= 0, "resume_at_epoch: the epoch must be >= 0, got " + std::to_string(epoch));
  training_->resume_epoch = epoch;
}

TL_INLINE bool ModelImpl::interrupted() const {
  return detail::InterruptGuard::requested() || training_->peer_interrupted;
}

TL_INLINE void ModelImpl::init_graph(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs) {
  tl::detail::check(!inputs.empty() && !outputs.empty(), "Model \"" + name() + "\" needs inputs and outputs");
  tl::detail::check(outputs.size() == 1, "Model \"" + name() + "\": tl supports models with one output");
  inputs_ = std::move(inputs);
  outputs_ = std::move(outputs);
  for (const auto& t : inputs_)
    tl::detail::check(t.defined() && t.node()->inputs.empty(),
                      "Model \"" + name() + "\": inputs must be tensors returned by tl::Input");
  auto graph = detail::GraphMapper().map(inputs_, outputs_);
  layers_ = std::move(graph.layers);
  nodes_by_depth_ = std::move(graph.nodes_by_depth);
  plan_ = std::move(graph.nodes);
  register_layers();
  compile_plan();
  set_own_call(outputs_[0].shape());  // node 0: the model's own graph, as Keras
}

TL_INLINE void ModelImpl::register_layers() {
  std::set<std::string> seen;
  const auto registered = named_children();  // once: O(n) for n layers, not O(n^2)
  for (const auto& l : layers_) {
    tl::detail::check(seen.insert(l->name()).second, "The name \"" + l->name() + "\" is used 2 times in the model \"" +
                                                         name() + "\". All layer names should be unique.");
    // torch refuses '.' in module names; Keras's op layers have them ("tf.__operators__.add").
    auto key = l->name();
    std::replace(key.begin(), key.end(), '.', '_');
    if (!registered.contains(key))  // Sequential re-maps its graph as layers are added
      register_module(key, std::static_pointer_cast<torch::nn::Module>(l));
  }
}

TL_INLINE void ModelImpl::compile_plan() {
  std::map<const Node*, int> slot_of;
  for (size_t s = 0; s < plan_.size(); ++s) slot_of[plan_[s].get()] = int(s);
  arg_slots_.assign(plan_.size(), {});
  free_after_.assign(plan_.size(), {});
  std::vector<int> last_use(plan_.size(), -1);
  for (size_t s = 0; s < plan_.size(); ++s)
    for (const auto& t : plan_[s]->inputs) {
      arg_slots_[s].push_back(slot_of.at(t.node().get()));
      last_use[arg_slots_[s].back()] = int(s);
    }
  output_slot_ = slot_of.at(outputs_[0].node().get());
  for (size_t s = 0; s < plan_.size(); ++s)
    if (last_use[s] >= 0 && int(s) != output_slot_) free_after_[last_use[s]].push_back(int(s));
  input_slots_.clear();
  for (const auto& t : inputs_) input_slots_.push_back(slot_of.at(t.node().get()));
  folds_ = detail::ConvBnFolds(plan_, arg_slots_, output_slot_);
  for (size_t s = 0; s < plan_.size(); ++s)
    if (plan_[s]->inputs.empty() &&
        std::find(input_slots_.begin(), input_slots_.end(), int(s)) == input_slots_.end())
      throw ValueError("Graph disconnected: cannot obtain value for tensor of layer \"" + plan_[s]->layer->name() +
                       "\" in model \"" + name() + "\": it is not one of the model's inputs.");
}

TL_INLINE void ModelImpl::run(std::vector<torch::Tensor>& slots, size_t begin, bool training, size_t end) {
  for (size_t s = begin; s < std::min(end, plan_.size()); ++s) {
    if (slots[s].defined()) continue;
    std::vector<torch::Tensor> args;
    for (int a : arg_slots_[s]) args.push_back(slots[a]);
    for (int dead : free_after_[s]) slots[dead] = torch::Tensor();  // args hold the last handle: reusable
    if (!folds_.try_run(s, end, training, args, slots))  // a Conv2D + BatchNormalization as one conv
      slots[s] = plan_[s]->layer->forward_reusing(args, training);
  }
}

TL_INLINE bool ModelImpl::consumers_outside_prefix_only_use(int cut) const {
  for (size_t s = size_t(cut) + 1; s < plan_.size(); ++s)
    for (int a : arg_slots_[s])
      if (a < cut) return false;
  return true;
}

TL_INLINE Shape ModelImpl::check_input(size_t i, const Shape& given) const {
  const Shape& expected = inputs_[i].shape();
  bool ok = given.size() == expected.size();
  for (size_t d = 0; ok && d < given.size(); ++d)
    ok = expected[d] == None || given[d] == None || expected[d] == given[d];
  if (!ok)
    throw ValueError("Input " + std::to_string(i) + " of layer \"" + name() +
                     "\" is incompatible with the layer: expected shape=" + to_string(expected) +
                     ", found shape=" + to_string(given));
  return given;
}

TL_INLINE void ModelImpl::require_graph() const {
  tl::detail::check(graph_built(), "This model has not yet been built. Build the model first by calling it on data "
                                   "or by giving its first layer an input shape (model \"" + name() + "\").");
}

TL_INLINE std::string ModelImpl::layer_names() const {
  std::string s;
  for (const auto& l : layers_) s += (s.empty() ? "" : ", ") + l->name();
  return s;
}

}  // namespace tl::models
