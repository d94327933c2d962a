#pragma once
// A functional model's graph (Keras's Functional): built from symbolic tensors, run on real ones.
#include <tl/core/logs.hpp>
#include <tl/layers/input_layer.hpp>
#include <tl/layers/layer.hpp>
#include <tl/mixed_precision/policy.hpp>
#include <tl/models/detail/conv_bn_fold.hpp>
#include <tl/models/detail/graph.hpp>
#include <tl/models/detail/training_state.hpp>

#include <map>
#include <set>

namespace tl::models {

/// A graph of layers from input KerasTensors to output KerasTensors. A model is itself a layer, so it can be
/// called on a KerasTensor inside another model (`x = base(inputs)`). Training API: see training.hpp.
class ModelImpl : public layers::LayerImpl {
 public:
  ModelImpl(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs, const std::string& name = "",
            const std::string& class_name = "Functional")
      : LayerImpl(class_name, name.empty() ? backend::unique_name("model") : name) {
    init_graph(std::move(inputs), std::move(outputs));
  }

  /// The layers in Keras's order (model.layers), input layers included.
  const std::vector<std::shared_ptr<layers::LayerImpl>>& layers() const { return layers_; }
  /// Keras's `get_layer(name)`; throws ValueError naming the missing layer.
  std::shared_ptr<layers::LayerImpl> get_layer(const std::string& layer_name) const {
    for (const auto& l : layers_)
      if (l->name() == layer_name) return l;
    throw ValueError("No such layer: " + layer_name + ". Existing layers are: " + layer_names() + ".");
  }
  std::shared_ptr<layers::LayerImpl> get_layer(size_t index) const {
    tl::detail::check(index < layers_.size(), "Was asked to retrieve layer at index " + std::to_string(index) +
                                              " but model only has " + std::to_string(layers_.size()) + " layers.");
    return layers_[index];
  }
  const std::vector<KerasTensor>& inputs() const { return inputs_; }
  const std::vector<KerasTensor>& outputs() const { return outputs_; }
  /// The graph's nodes in execution order, grouped by depth as Keras's `_nodes_by_depth`.
  const std::map<int, std::vector<std::shared_ptr<Node>>>& nodes_by_depth() const { return nodes_by_depth_; }
  bool graph_built() const { return !outputs_.empty(); }

  std::vector<Weight> weights() const override {
    std::vector<Weight> out;
    for (const auto& l : layers_)
      for (auto& w : l->weights()) out.push_back(w);
    return out;
  }
  /// Keras's `model.trainable = value`: applies to every layer, nested models included.
  void set_trainable(bool value) override {
    LayerImpl::set_trainable(value);
    for (const auto& l : layers_) l->set_trainable(value);
  }

  Shape compute_output_shape(const std::vector<Shape>& input_shapes) const override {
    require_graph();
    tl::detail::check(input_shapes.size() == inputs_.size(),
                  "Layer \"" + name() + "\" expects " + std::to_string(inputs_.size()) + " input(s), but it received " +
                      std::to_string(input_shapes.size()) + " input tensors.");
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

  /// Runs the graph on torch-layout tensors (NCHW for images), freeing each value after its last use.
  torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) override {
    require_graph();
    tl::detail::check(inputs.size() == inputs_.size(), "Model \"" + name() + "\" expects " +
                                                           std::to_string(inputs_.size()) + " input(s), got " +
                                                           std::to_string(inputs.size()));
    std::vector<torch::Tensor> slots(plan_.size());
    for (size_t i = 0; i < inputs.size(); ++i) slots[input_slots_[i]] = inputs[i];
    run(slots, 0, training);
    return slots[output_slot_];
  }

  bool frozen_in_training() const override {
    return std::all_of(layers_.begin(), layers_.end(), [](const auto& l) { return l->frozen_in_training(); });
  }

  /// The end of the frozen part of a one-input graph: the slot whose value is all the rest needs, when every
  /// node up to it is frozen in training. -1 when there is no such cut (or it would be the input itself).
  int frozen_prefix_end() const {
    if (inputs_.size() != 1) return -1;
    int cut = -1;
    for (size_t s = 0; s < plan_.size() && plan_[s]->layer->frozen_in_training(); ++s)
      if (int(s) != output_slot_ && consumers_outside_prefix_only_use(int(s))) cut = int(s);
    return cut == input_slots_[0] ? -1 : cut;
  }
  /// The value of slot `cut` for a torch-layout input (the frozen part of the graph, run in inference mode).
  torch::Tensor forward_prefix(const torch::Tensor& input, int cut) {
    std::vector<torch::Tensor> slots(plan_.size());
    slots[input_slots_[0]] = input;
    run(slots, 0, false, cut + 1);
    return slots[cut];
  }
  /// The output from the value of slot `cut` (the rest of the graph).
  torch::Tensor forward_suffix(const torch::Tensor& value, int cut, bool training) {
    std::vector<torch::Tensor> slots(plan_.size());
    slots[cut] = value;
    run(slots, cut + 1, training);
    return slots[output_slot_];
  }

  /// Set by callbacks (EarlyStopping) to end `fit` after the current epoch, as Keras's `model.stop_training`.
  bool stop_training = false;
  /// Set by BackupAndRestore in on_train_begin: the epoch `fit` resumes at (-1: `initial_epoch`), as Keras's
  /// `_maybe_load_initial_counter_from_ckpt`.
  int resume_epoch = -1;

  // Training API (Keras's Model): defined in training.hpp.
  void compile(const CompileOptions& options);
  callbacks::History fit(utils::Sequence& data, const FitOptions& options = {});
  callbacks::History fit(const torch::Tensor& x, const torch::Tensor& y, FitOptions options = {});
  Logs evaluate(utils::Sequence& data, const EvaluateOptions& options = {});
  Logs evaluate(const torch::Tensor& x, const torch::Tensor& y, const EvaluateOptions& options = {});
  torch::Tensor predict(utils::Sequence& data, const PredictOptions& options = {});
  torch::Tensor predict(const torch::Tensor& x, const PredictOptions& options = {});
  Logs train_on_batch(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& sample_weight = {});
  Logs test_on_batch(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& sample_weight = {});
  torch::Tensor predict_on_batch(const torch::Tensor& x);
  bool compiled() const { return training_.compiled(); }
  detail::TrainingState& training_state() { return training_; }
  /// Keras's `model.dtype_policy`: the global policy when the model was built ("float32" unless set).
  const mixed_precision::Policy& dtype_policy() const { return dtype_policy_; }
  /// The device the model's weights live on (CPU until `to(...)`).
  torch::Device device() const {
    for (const auto& w : weights()) return w.value.device();
    return torch::kCPU;
  }

 protected:
  /// For Sequential, whose graph is made once the input shape is known.
  ModelImpl(const std::string& name, const std::string& class_name) : LayerImpl(class_name, name) {}

  void init_graph(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs) {
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

 private:
  void register_layers() {
    std::set<std::string> seen;
    for (const auto& l : layers_) {
      tl::detail::check(seen.insert(l->name()).second, "The name \"" + l->name() + "\" is used 2 times in the model \"" +
                                                       name() + "\". All layer names should be unique.");
      if (!named_children().contains(l->name()))  // Sequential re-maps its graph as layers are added
        register_module(l->name(), std::static_pointer_cast<torch::nn::Module>(l));
    }
  }

  // Slots: one per node; each node's arguments point to earlier slots; values die after their last use.
  void compile_plan() {
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

  void run(std::vector<torch::Tensor>& slots, size_t begin, bool training, size_t end = size_t(-1)) {
    for (size_t s = begin; s < std::min(end, plan_.size()); ++s) {
      if (slots[s].defined()) continue;
      std::vector<torch::Tensor> args;
      for (int a : arg_slots_[s]) args.push_back(slots[a]);
      for (int dead : free_after_[s]) slots[dead] = torch::Tensor();  // args hold the last handle: reusable
      if (!folds_.try_run(s, end, training, args, slots))  // a Conv2D + BatchNormalization as one conv
        slots[s] = plan_[s]->layer->forward_reusing(args, training);
    }
  }
  // True when no node after slot `cut` reads a slot before it: the rest of the graph needs only `cut`.
  bool consumers_outside_prefix_only_use(int cut) const {
    for (size_t s = size_t(cut) + 1; s < plan_.size(); ++s)
      for (int a : arg_slots_[s])
        if (a < cut) return false;
    return true;
  }

  Shape check_input(size_t i, const Shape& given) const {
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
  void require_graph() const {
    tl::detail::check(graph_built(), "This model has not yet been built. Build the model first by calling it on data "
                                 "or by giving its first layer an input shape (model \"" + name() + "\").");
  }
  std::string layer_names() const {
    std::string s;
    for (const auto& l : layers_) s += (s.empty() ? "" : ", ") + l->name();
    return s;
  }

  std::vector<KerasTensor> inputs_, outputs_;
  std::vector<std::shared_ptr<layers::LayerImpl>> layers_;
  std::map<int, std::vector<std::shared_ptr<Node>>> nodes_by_depth_;
  std::vector<std::shared_ptr<Node>> plan_;
  std::vector<std::vector<int>> arg_slots_, free_after_;
  std::vector<int> input_slots_;
  int output_slot_ = -1;
  detail::ConvBnFolds folds_;
  detail::TrainingState training_;
  mixed_precision::Policy dtype_policy_ = mixed_precision::global_policy();
};

}  // namespace tl::models
