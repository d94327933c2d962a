#pragma once
// Keras's merge layers: Add (ResNet's shortcuts), Multiply (squeeze-and-excitation), Concatenate (Inception's
// branches), over one base that checks shapes as Keras's `_Merge` and calls eagerly on lists of tensors.
#include <tl/layers/layer.hpp>

#include <optional>

namespace tl::layers {

/// Keras's `_Merge`: a layer called on a list of tensors (at least one, all with one batch size).
class MergeImpl : public LayerImpl {
 public:
  using LayerImpl::LayerImpl;
  /// Keras's `_Merge.build` checks (a list of at least 1 input, one batch size), then `merged_shape`.
  Shape compute_output_shape(const std::vector<Shape>& shapes) const final;
  /// Calls the layer eagerly on Keras-layout (NHWC) tensors: `multiply({a, b})`.
  torch::Tensor call(const std::vector<torch::Tensor>& xs, bool training = false);

 protected:
  /// The output shape of inputs that passed the common checks.
  virtual Shape merged_shape(const std::vector<Shape>& shapes) const = 0;
  /// Python's printing of a list of shapes: `[(None, 4, 4, 3), (None, 4, 4, 5)]`.
  static std::string shapes_string(const std::vector<Shape>& shapes);
};

/// Keras's elementwise merges (Add, Multiply): shapes broadcast as `_compute_elemwise_op_output_shape`
/// (dimensions equal, None or 1; a lower-rank input lines up with the trailing dimensions and gets size-1 axes
/// after the batch axis, so that (N, C) multiplies (N, H, W, C)).
class ElementwiseMergeImpl : public MergeImpl {
 public:
  using MergeImpl::MergeImpl;
  TL_INLINE torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) override;
  /// Writes the result into an input nobody else sees (a residual branch, the feature map SE scales) instead of
  /// a new tensor, when that input has the output's shape and dtype.
  TL_INLINE torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool training) override;

 protected:
  TL_INLINE Shape merged_shape(const std::vector<Shape>& shapes) const override;
  /// `a op b`, and the same written into `into`, for inputs of one rank.
  virtual torch::Tensor merge_two(const torch::Tensor& a, const torch::Tensor& b) const = 0;
  virtual void merge_into(torch::Tensor& into, const torch::Tensor& b) const = 0;

 private:
  /// Keras's `_compute_elemwise_op_output_shape`, shapes without the batch dimension.
  Shape elementwise_shape(const Shape& a, const Shape& b) const;
  /// The inputs at one rank (Keras's `_reshape_required` path).
  static std::vector<torch::Tensor> same_rank(const std::vector<torch::Tensor>& inputs);
  /// The input to write into: reusable, of the output's shape and the common dtype; the first one, or either
  /// of two (a op b is b op a bit for bit; a longer chain is not reordered).
  static std::optional<size_t> accumulator(const std::vector<torch::Tensor>& inputs);
};

/// Keras's keyword arguments of the merge layers without arguments of their own (Add, Multiply).
struct MergeOptions {
  std::string name = "";
};
using AddOptions = MergeOptions;
using MultiplyOptions = MergeOptions;

class AddImpl : public ElementwiseMergeImpl {
 public:
  explicit AddImpl(const AddOptions& options);

 protected:
  TL_INLINE torch::Tensor merge_two(const torch::Tensor& a, const torch::Tensor& b) const override;
  TL_INLINE void merge_into(torch::Tensor& into, const torch::Tensor& b) const override;
};

class MultiplyImpl : public ElementwiseMergeImpl {
 public:
  explicit MultiplyImpl(const MultiplyOptions& options);

 protected:
  TL_INLINE torch::Tensor merge_two(const torch::Tensor& a, const torch::Tensor& b) const override;
  TL_INLINE void merge_into(torch::Tensor& into, const torch::Tensor& b) const override;
};

/// Keras's keyword arguments of Concatenate.
struct ConcatenateOptions {
  int64_t axis = -1;  ///< Keras's axis, batch first (-1: channels)
  std::string name = "";
};

class ConcatenateImpl : public MergeImpl {
 public:
  explicit ConcatenateImpl(ConcatenateOptions options);
  /// One `torch::cat`; images concatenated on channels stay in channels_last memory.
  TL_INLINE torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) override;
  TL_INLINE json get_config() const override;
  const ConcatenateOptions& options() const { return options_; }

 protected:
  /// Keras's Concatenate.build and compute_output_shape: equal shapes except on `axis` (None matches anything).
  TL_INLINE Shape merged_shape(const std::vector<Shape>& shapes) const override;

 private:
  /// The Keras axis, from 0, for inputs of rank `rank`; throws ValueError when out of range.
  int64_t keras_axis(size_t rank) const;
  ConcatenateOptions options_;
};

/// A handle to a merge layer: `layer({a, b})` on KerasTensors builds a graph, on tensors computes eagerly.
template <class Impl>
class MergeHandle : public LayerHandle<Impl> {
 public:
  using LayerHandle<Impl>::LayerHandle;
  using LayerHandle<Impl>::operator();
  /// Merges Keras-layout (NHWC) tensors eagerly.
  torch::Tensor operator()(const std::vector<torch::Tensor>& xs, bool training = false) const {
    return (*this)->call(xs, training);
  }
};

/// `keras.layers.Add()`: `auto y = tl::layers::Add()({x, shortcut});`
class Add : public MergeHandle<AddImpl> {
 public:
  explicit Add(const AddOptions& options = {});
};

/// `keras.layers.Multiply()`: `auto y = tl::layers::Multiply()({x, se});` (se may be (None, 1, 1, C))
class Multiply : public MergeHandle<MultiplyImpl> {
 public:
  explicit Multiply(const MultiplyOptions& options = {});
};

/// `keras.layers.Concatenate(axis=-1)`: `auto y = tl::layers::Concatenate({.name = "mixed0"})({a, b, c, d});`
class Concatenate : public MergeHandle<ConcatenateImpl> {
 public:
  explicit Concatenate(ConcatenateOptions options = {});
};

/// Keras's functional forms `layers.add(inputs)`, `layers.multiply(inputs)`, `layers.concatenate(inputs, axis)`.
KerasTensor add(const std::vector<KerasTensor>& inputs, const AddOptions& options = {});
KerasTensor multiply(const std::vector<KerasTensor>& inputs, const MultiplyOptions& options = {});
KerasTensor concatenate(const std::vector<KerasTensor>& inputs, ConcatenateOptions options = {});

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/merge-inl.hpp>
#endif
