#pragma once
// keras.layers.Add: the element-wise sum of several tensors (ResNet's shortcut connections).
#include <tl/layers/layer.hpp>

#include <optional>

namespace tl::layers {

/// Keras's keyword arguments of Add.
struct AddOptions {
  std::string name = "";
};

class AddImpl : public LayerImpl {
 public:
  explicit AddImpl(const AddOptions& options);
  /// Keras's elementwise rule: equal sizes, or None, or 1 (broadcast); the batch dimension is not checked.
  Shape compute_output_shape(const std::vector<Shape>& shapes) const override;
  torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool training) override;
  /// Sums into an input nobody else sees (ResNet's shortcut or branch) instead of a new tensor.
  torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool training) override;
  /// Calls the layer eagerly on Keras-layout (NHWC) tensors: `add({a, b})`.
  torch::Tensor call(const std::vector<torch::Tensor>& xs, bool training = false);

 private:
  /// The input to sum into: reusable, no broadcasting, one dtype.
  static std::optional<size_t> accumulator(const std::vector<torch::Tensor>& inputs);
  Shape merge(const Shape& a, const Shape& b, const std::vector<Shape>& all) const;
};

/// `keras.layers.Add()`: `auto y = tl::layers::Add()({x, shortcut});`
class Add : public LayerHandle<AddImpl> {
 public:
  explicit Add(const AddOptions& options = {});
  using LayerHandle::operator();
  /// Adds Keras-layout (NHWC) tensors eagerly.
  torch::Tensor operator()(const std::vector<torch::Tensor>& xs, bool training = false) const {
    return (*this)->call(xs, training);
  }
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/merge-inl.hpp>
#endif
