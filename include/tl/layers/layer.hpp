#pragma once
// The base of every layer: Keras's Layer (name, weights, trainable, build/call) on a torch::nn::Module.
#include <tl/core/config.hpp>
#include <tl/core/errors.hpp>
#include <tl/core/json_fwd.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/layers/weight.hpp>

#include <torch/nn/module.h>

#include <concepts>
#include <memory>
#include <string>
#include <vector>

namespace tl::layers {

/// Implementation of a layer. Tensors inside tl are torch-layout (NCHW logical, channels_last memory for
/// images); shapes are Keras's (NHWC). `call` converts at the boundary so users only see Keras's layout.
class LayerImpl : public torch::nn::Module {
 public:
  /// `class_name` is the Keras class ("Dense"); an empty `name` gets Keras's default ("dense", "dense_1").
  LayerImpl(std::string class_name, const std::string& name);

  const std::string& name() const { return name_; }
  /// Keras's class name as shown by summary(): "Dense", "Conv2D", "Functional".
  const std::string& class_name() const { return class_name_; }

  /// Output shape for the given input shapes (Keras shapes, batch first). Throws ValueError naming the layer.
  virtual Shape compute_output_shape(const std::vector<Shape>& input_shapes) const = 0;
  /// Creates the weights for the given input shapes; called once, on the first call.
  TL_INLINE virtual void build(const std::vector<Shape>& input_shapes);
  /// The computation on torch-layout tensors.
  virtual torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) = 0;
  /// forward_internal for a model's execution plan, which hands over each value at its last use: a layer may
  /// write its result into an input that `detail::reusable` allows (ReLU, Add) instead of a new tensor.
  TL_INLINE virtual torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool training);

  bool built() const { return built_; }
  /// Builds the layer if it is not built yet (Keras's `_maybe_build`).
  void maybe_build(const std::vector<Shape>& input_shapes);

  /// Calls the layer on symbolic tensors: checks shapes, builds weights, records a graph node.
  KerasTensor call_symbolic(const std::vector<KerasTensor>& inputs);
  /// Calls the layer eagerly on a Keras-layout (NHWC) tensor, as `layer(x, training=...)` in Keras.
  torch::Tensor call(const torch::Tensor& x, bool training = false);

  /// The layer's weights in Keras's order (kernel, bias; gamma, beta, moving_mean, moving_variance).
  TL_INLINE virtual std::vector<Weight> weights() const;
  /// Weights that training updates: none when the layer is frozen.
  std::vector<Weight> trainable_weights() const;
  /// Weights training leaves alone: moving statistics, and everything when the layer is frozen.
  std::vector<Weight> non_trainable_weights() const;
  /// Keras's `count_params()`.
  int64_t count_params() const;

  /// Keras's `get_weights()`: copies in Keras's layout (Conv2D kernels HWIO), on the CPU.
  std::vector<torch::Tensor> get_weights() const;
  /// Keras's `set_weights()`: Keras-layout arrays in weights() order; a wrong count or shape names the layer.
  void set_weights(const std::vector<torch::Tensor>& values);

  bool trainable() const { return trainable_; }
  /// Keras's `get_config()`: the arguments that rebuild this layer, as saved in a model file's `model_config`
  /// (tl::models::load_model builds the layer back from them). Layers add their own to this base.
  /// Include <tl/core/json.hpp> to read the value.
  TL_INLINE virtual json get_config() const;
  /// True when training neither updates this layer nor changes what it computes (no trainable weights, no
  /// randomness, no statistics updates): `fit` may then compute it once per sample and reuse the result.
  TL_INLINE virtual bool frozen_in_training() const;
  /// Keras's `layer.trainable = value`; models override it to apply it to every layer they hold.
  TL_INLINE virtual void set_trainable(bool value);

  /// The arguments of this layer's calls besides its input tensors, as Keras writes them into each reference of
  /// an inbound node of a model config (`["conv", 0, 0, {...}]`): `{}` for every layer but TFOpLambda, whose
  /// constant operand is one (`{"y": 3.0, "name": null}`). tl layers bind such constants when constructed, so
  /// every call of a layer has the same arguments.
  TL_INLINE virtual json call_kwargs() const;
  /// Keras's `_preserve_input_structure_in_config` (TFOpLambda): a call on one tensor is written into the model
  /// config as the bare reference `["x", 0, 0, {...}]`, not wrapped in a list as other layers' are.
  virtual bool preserve_input_structure_in_config() const { return false; }

  /// Output shapes of every call so far (Keras's inbound nodes); node 0 is the first call.
  const std::vector<Shape>& call_output_shapes() const { return call_shapes_; }
  int node_count() const { return static_cast<int>(call_shapes_.size()); }

  /// Rank-4 tensors are NHWC for users and NCHW (channels_last memory) inside tl: a free permutation.
  static torch::Tensor to_internal_layout(const torch::Tensor& x);
  static torch::Tensor to_keras_layout(const torch::Tensor& x);

 protected:
  /// Creates a weight (Keras's `add_weight`): trainable ones become parameters, the rest buffers.
  torch::Tensor add_weight(const std::string& weight_name, torch::Tensor value, bool trainable = true,
                           WeightLayout layout = WeightLayout::keras);
  /// Records a call of this layer as a graph node and returns its output tensor.
  KerasTensor new_node(const std::vector<KerasTensor>& inputs, const Shape& output_shape);
  /// Sets node 0's output shape: a model's own graph, which a Sequential redraws as layers are added.
  void set_own_call(const Shape& output_shape);
  /// get_config() of this base plus the members of the object `extra`, for the overrides:
  /// `return config_with({{"units", units_}});`
  json config_with(json extra) const;
  std::string error_prefix() const { return "Layer \"" + name_ + "\" (" + class_name_ + "): "; }

 private:
  std::string class_name_;
  std::string name_;
  bool built_ = false;
  bool trainable_ = true;
  std::vector<Weight> own_weights_;
  std::vector<Shape> call_shapes_;
};

/// Base of the layers that take exactly one input.
class SingleInputLayerImpl : public LayerImpl {
 public:
  using LayerImpl::LayerImpl;
  virtual Shape output_shape_for(const Shape& input_shape) const = 0;
  virtual torch::Tensor forward_one(const torch::Tensor& x, bool training) = 0;
  TL_INLINE virtual void build_for(const Shape& input_shape);

  Shape compute_output_shape(const std::vector<Shape>& input_shapes) const final;
  void build(const std::vector<Shape>& input_shapes) final;
  torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) final;
};

/// A value-semantics handle over a layer implementation, like LibTorch's `TORCH_MODULE`: copies share the layer.
/// `layer(keras_tensor)` builds a graph, `layer(tensor)` computes eagerly on NHWC data.
template <class Impl>
class LayerHandle {
 public:
  using impl_type = Impl;
  explicit LayerHandle(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {
    detail::check(impl_ != nullptr, "tl: a layer handle needs a layer");
  }
  /// Converts a handle of a derived layer (`Dense`) to a handle of its base (`Layer`).
  template <class Other>
    requires std::derived_from<Other, Impl>
  LayerHandle(const LayerHandle<Other>& other) : impl_(other.ptr()) {}

  KerasTensor operator()(const KerasTensor& x) const { return impl_->call_symbolic({x}); }
  KerasTensor operator()(const std::vector<KerasTensor>& xs) const { return impl_->call_symbolic(xs); }
  torch::Tensor operator()(const torch::Tensor& x, bool training = false) const { return impl_->call(x, training); }

  Impl* operator->() const { return impl_.get(); }
  Impl& operator*() const { return *impl_; }
  const std::shared_ptr<Impl>& ptr() const { return impl_; }

  const std::string& name() const { return impl_->name(); }
  bool trainable() const { return impl_->trainable(); }
  void trainable(bool value) const { impl_->set_trainable(value); }
  int64_t count_params() const { return impl_->count_params(); }
  std::vector<Weight> weights() const { return impl_->weights(); }
  std::vector<torch::Tensor> get_weights() const { return impl_->get_weights(); }
  void set_weights(const std::vector<torch::Tensor>& values) const { impl_->set_weights(values); }

 private:
  std::shared_ptr<Impl> impl_;
};

/// A handle to any layer.
using Layer = LayerHandle<LayerImpl>;

}  // namespace tl::layers

namespace tl {
using layers::Layer;
}

namespace tl::detail {

/// Keras's `backend.observe_object_name`: a name given explicitly to a layer, which generated TFOpLambda names
/// avoid. Forgotten by `backend::clear_session()`.
void observe_object_name(const std::string& name);
bool is_observed_object_name(const std::string& name);
/// Keras's `unique_object_name(base, zero_based=True, avoid_observed_names=True)`: `base`, `base_1`, ... skipping
/// names given explicitly (TFOpLambda's `tf.__operators__.add`, `tf.__operators__.add_1`, ...).
std::string unique_object_name_avoiding_observed(const std::string& base);

}  // namespace tl::detail

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/layer-inl.hpp>
#endif
