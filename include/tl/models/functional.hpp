#pragma once
// A functional model's graph (Keras's Functional): built from symbolic tensors, run on real ones.
#include <tl/core/config.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/core/logs.hpp>
#include <tl/layers/layer.hpp>
#include <tl/mixed_precision/policy.hpp>
#include <tl/models/detail/conv_bn_fold.hpp>
#include <tl/models/options.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tl::models {

class ModelImpl;

namespace detail {
struct TrainingState;
/// What compile() set up, for tl's training loop only (see models/detail/training_state.hpp).
TrainingState& training_state(ModelImpl& model);
const TrainingState& training_state(const ModelImpl& model);
}  // namespace detail

/// A graph of layers from input KerasTensors to output KerasTensors. A model is itself a layer, so it can be
/// called on a KerasTensor inside another model (`x = base(inputs)`). The training API (compile, fit, ...) is
/// defined in models/impl/training-inl.hpp (include <tl/models/model.hpp> or <tl/tl.hpp> to use it).
class ModelImpl : public layers::LayerImpl {
 public:
  ModelImpl(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs, const std::string& name = "",
            const std::string& class_name = "Functional");
  TL_INLINE ~ModelImpl() override;

  /// The layers in Keras's order (model.layers), input layers included.
  const std::vector<std::shared_ptr<layers::LayerImpl>>& layers() const { return layers_; }
  /// Keras's `get_layer(name)`; throws ValueError naming the missing layer.
  std::shared_ptr<layers::LayerImpl> get_layer(const std::string& layer_name) const;
  std::shared_ptr<layers::LayerImpl> get_layer(size_t index) const;
  const std::vector<KerasTensor>& inputs() const { return inputs_; }
  const std::vector<KerasTensor>& outputs() const { return outputs_; }
  /// The graph's nodes in execution order, grouped by depth as Keras's `_nodes_by_depth`.
  const std::map<int, std::vector<std::shared_ptr<Node>>>& nodes_by_depth() const { return nodes_by_depth_; }
  bool graph_built() const { return !outputs_.empty(); }

  TL_INLINE std::vector<Weight> weights() const override;
  /// Keras's `model.trainable = value`: applies to every layer, nested models included.
  TL_INLINE void set_trainable(bool value) override;

  TL_INLINE Shape compute_output_shape(const std::vector<Shape>& input_shapes) const override;

  /// Runs the graph on torch-layout tensors (NCHW for images), freeing each value after its last use.
  TL_INLINE torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) override;

  TL_INLINE bool frozen_in_training() const override;

  /// The end of the frozen part of a one-input graph: the slot whose value is all the rest needs, when every
  /// node up to it is frozen in training. -1 when there is no such cut (or it would be the input itself).
  int frozen_prefix_end() const;
  /// The value of slot `cut` for a torch-layout input (the frozen part of the graph, run in inference mode).
  torch::Tensor forward_prefix(const torch::Tensor& input, int cut);
  /// The output from the value of slot `cut` (the rest of the graph).
  torch::Tensor forward_suffix(const torch::Tensor& value, int cut, bool training);

  // Training API (Keras's Model): defined in models/impl/training-inl.hpp.
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
  /// True once compile() has set an optimizer and a loss.
  bool compiled() const;
  /// Keras's `model.dtype_policy`: the global policy when the model was built ("float32" unless set).
  const mixed_precision::Policy& dtype_policy() const { return dtype_policy_; }
  /// The device the model's weights live on (CPU until `to(...)`).
  torch::Device device() const;

  // The control API of a running `fit`: what callbacks may read and change, as Keras's callbacks use
  // `model.stop_training`, `model.optimizer` and the model's resume point. Callbacks use nothing else of the
  // training loop (tests/callbacks/boundary_test.cpp checks that callbacks/ includes nothing from models/detail/).

  /// Keras's `model.stop_training`: a callback sets it (EarlyStopping) to end `fit` after the current epoch.
  /// `fit` clears it when it starts.
  bool stop_training = false;
  /// Keras's `model.optimizer`: the optimizer compile() set, which a LossScaleOptimizer wraps under the
  /// "mixed_float16" policy, as in Keras; null before compile(). Callbacks change its learning rate
  /// (ReduceLROnPlateau) or save and restore its state with get_state/set_state (BackupAndRestore).
  const std::shared_ptr<optimizers::Optimizer>& optimizer() const;
  /// The resume point, as Keras's `_maybe_load_initial_counters_from_ckpt`: called from a callback's
  /// `on_train_begin`, the running `fit` starts at `epoch` (0-based) instead of its `initial_epoch`.
  /// BackupAndRestore calls it with the epoch after the last one it backed up. Each `fit` starts without one.
  void resume_at_epoch(int epoch);
  /// True once Ctrl-C has interrupted the running `fit` (on any worker of a distributed fit), which then stops
  /// after the current batch and still calls `on_train_end`: there a callback tells an interrupted run from a
  /// finished one (BackupAndRestore keeps its backup). Says so on stderr the first time it is seen, as `fit` does.
  bool interrupted() const;

 protected:
  /// For Sequential, whose graph is made once the input shape is known.
  ModelImpl(const std::string& name, const std::string& class_name);

  void init_graph(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs);

 private:
  friend detail::TrainingState& detail::training_state(ModelImpl& model);
  friend const detail::TrainingState& detail::training_state(const ModelImpl& model);

  void register_layers();
  // Slots: one per node; each node's arguments point to earlier slots; values die after their last use.
  void compile_plan();
  void run(std::vector<torch::Tensor>& slots, size_t begin, bool training, size_t end = size_t(-1));
  // True when no node after slot `cut` reads a slot before it: the rest of the graph needs only `cut`.
  bool consumers_outside_prefix_only_use(int cut) const;
  Shape check_input(size_t i, const Shape& given) const;
  void require_graph() const;
  std::string layer_names() const;

  std::vector<KerasTensor> inputs_, outputs_;
  std::vector<std::shared_ptr<layers::LayerImpl>> layers_;
  std::map<int, std::vector<std::shared_ptr<Node>>> nodes_by_depth_;
  std::vector<std::shared_ptr<Node>> plan_;
  std::vector<std::vector<int>> arg_slots_, free_after_;
  std::vector<int> input_slots_;
  int output_slot_ = -1;
  detail::ConvBnFolds folds_;
  std::unique_ptr<detail::TrainingState> training_;
  mixed_precision::Policy dtype_policy_ = mixed_precision::global_policy();
};

}  // namespace tl::models

#ifdef TL_HEADER_ONLY
#include <tl/models/impl/functional-inl.hpp>
#endif
