#pragma once
// A layer's weight as Keras names and lays it out, over the torch tensor tl computes with.
#include <tl/core/errors.hpp>
#include <tl/core/shape.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tl {

/// How a weight's Keras layout maps to the torch layout tl stores.
enum class WeightLayout {
  keras,        ///< identical
  conv_kernel,  ///< Keras HWIO, torch OIHW
};

/// A layer's weight: Keras name (`dense/kernel:0`), the stored tensor, and whether training updates it.
struct Weight {
  std::string name;
  torch::Tensor value;
  bool trainable = true;
  WeightLayout layout = WeightLayout::keras;
  bool trainable_by_design = true;  ///< false for statistics such as moving_mean, whatever the layer's state

  /// The weight in Keras's layout, detached, contiguous, on the CPU.
  torch::Tensor get() const {
    auto v = value.detach();
    if (layout == WeightLayout::conv_kernel) v = v.permute({2, 3, 1, 0});
    return v.to(torch::kCPU).contiguous().clone();
  }

  /// The Keras shape of the weight.
  std::vector<int64_t> keras_shape() const {
    auto s = value.sizes().vec();
    if (layout == WeightLayout::conv_kernel) return {s[2], s[3], s[1], s[0]};
    return s;
  }

  /// Assigns a Keras-layout array; a wrong shape throws ValueError naming the layer and both shapes.
  void set(const torch::Tensor& keras_value, const std::string& layer_name) const {
    const auto expected = keras_shape();
    if (keras_value.sizes().vec() != expected)
      throw ValueError("Layer \"" + layer_name + "\" weight " + name + " has shape " + shape_string(expected) +
                       ", but the value given has shape " + shape_string(keras_value.sizes().vec()));
    auto v = layout == WeightLayout::conv_kernel ? keras_value.permute({3, 2, 0, 1}) : keras_value;
    torch::NoGradGuard no_grad;
    value.copy_(v.to(value.options()));
  }

  static std::string shape_string(const std::vector<int64_t>& s) {
    std::string out = "(";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + (s.size() == 1 ? ",)" : ")");
  }
};

/// Total element count of a list of weights, each tensor counted once (Keras's `count_params`).
inline int64_t count_params(const std::vector<Weight>& weights) {
  int64_t n = 0;
  std::vector<const void*> seen;
  for (const auto& w : weights) {
    const void* key = w.value.unsafeGetTensorImpl();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    n += w.value.numel();
  }
  return n;
}

}  // namespace tl
