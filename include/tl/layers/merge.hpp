#pragma once
// keras.layers.Add: the element-wise sum of several tensors (ResNet's shortcut connections).
#include <tl/core/detail/reuse.hpp>
#include <tl/layers/layer.hpp>

#include <optional>

namespace tl::layers {

/// Keras's keyword arguments of Add.
struct AddOptions {
  std::string name = "";
};

class AddImpl : public LayerImpl {
 public:
  explicit AddImpl(const AddOptions& options) : LayerImpl("Add", options.name) {}

  /// Keras's elementwise rule: equal sizes, or None, or 1 (broadcast); the batch dimension is not checked.
  Shape compute_output_shape(const std::vector<Shape>& shapes) const override {
    detail::check(shapes.size() >= 2, error_prefix() + "a merge layer should be called on a list of at least 2 "
                                                       "inputs, got " + std::to_string(shapes.size()));
    Shape out = shapes[0];
    for (size_t i = 1; i < shapes.size(); ++i) out = merge(out, shapes[i], shapes);
    return out;
  }

  torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool) override {
    auto sum = inputs.at(0);
    for (size_t i = 1; i < inputs.size(); ++i) sum = sum + inputs[i];
    return sum;
  }

  /// Sums into an input nobody else sees (ResNet's shortcut or branch) instead of a new tensor.
  torch::Tensor forward_reusing(std::vector<torch::Tensor>& inputs, bool training) override {
    const auto into = accumulator(inputs);
    if (!into) return forward_internal(inputs, training);
    auto& sum = inputs[*into];
    for (size_t i = 0; i < inputs.size(); ++i)
      if (i != *into) sum.add_(inputs[i]);
    return sum;
  }

  /// Calls the layer eagerly on Keras-layout (NHWC) tensors: `add({a, b})`.
  torch::Tensor call(const std::vector<torch::Tensor>& xs, bool training = false) {
    std::vector<Shape> shapes;
    std::vector<torch::Tensor> internal;
    for (const auto& x : xs) {
      shapes.emplace_back(x.sizes().begin(), x.sizes().end());
      internal.push_back(to_internal_layout(x));
    }
    compute_output_shape(shapes);
    return to_keras_layout(forward_internal(internal, training));
  }

 private:
  // The input to sum into: reusable, no broadcasting, one dtype; the first one, or either of two (a + b is
  // b + a bit for bit, a longer sum is not reordered).
  static std::optional<size_t> accumulator(const std::vector<torch::Tensor>& inputs) {
    for (const auto& x : inputs)
      if (x.sizes() != inputs[0].sizes() || x.scalar_type() != inputs[0].scalar_type()) return std::nullopt;
    for (size_t i = 0; i < (inputs.size() == 2 ? 2 : 1); ++i)
      if (tl::detail::reusable(inputs[i])) return i;
    return std::nullopt;
  }

  Shape merge(const Shape& a, const Shape& b, const std::vector<Shape>& all) const {
    bool compatible = a.size() == b.size();
    Shape out = a;
    for (size_t d = 1; compatible && d < a.size(); ++d) {
      if (a[d] == None || b[d] == None) out[d] = None;
      else if (a[d] == 1 || b[d] == 1) out[d] = std::max(a[d], b[d]);
      else compatible = a[d] == b[d];
    }
    if (!compatible) {
      std::string received;
      for (const auto& s : all) received += (received.empty() ? "" : ", ") + to_string(s);
      throw ValueError(error_prefix() + "inputs have incompatible shapes. Received shapes " + received);
    }
    return out;
  }
};

/// `keras.layers.Add()`: `auto y = tl::layers::Add()({x, shortcut});`
class Add : public LayerHandle<AddImpl> {
 public:
  explicit Add(const AddOptions& options = {}) : LayerHandle(std::make_shared<AddImpl>(options)) {}
  using LayerHandle::operator();
  /// Adds Keras-layout (NHWC) tensors eagerly.
  torch::Tensor operator()(const std::vector<torch::Tensor>& xs, bool training = false) const {
    return (*this)->call(xs, training);
  }
};

}  // namespace tl::layers
