#pragma once
// A layer's weight as Keras names and lays it out, over the torch tensor tl computes with.
#include <tl/core/config.hpp>
#include <tl/core/shape.hpp>

#include <torch/types.h>

#include <string>
#include <vector>

namespace tl {

/// How a weight's Keras layout maps to the torch layout tl stores.
enum class WeightLayout {
  keras,        ///< identical
  conv_kernel,  ///< Keras HWIO, torch OIHW
  /// Keras `(kh, kw, C, M)` (DepthwiseConv2D, SeparableConv2D), torch `(C, M, kh, kw)`: a view of it is the
  /// `(C·M, 1, kh, kw)` kernel of a grouped convolution, output channel `c·M + m`
  depthwise_kernel,
};

/// A layer's weight: Keras name (`dense/kernel:0`), the stored tensor, and whether training updates it.
struct Weight {
  std::string name;
  torch::Tensor value;
  bool trainable = true;
  WeightLayout layout = WeightLayout::keras;
  bool trainable_by_design = true;  ///< false for statistics such as moving_mean, whatever the layer's state

  /// The weight in Keras's layout, detached, contiguous, on the CPU.
  torch::Tensor get() const;
  /// The Keras shape of the weight.
  std::vector<int64_t> keras_shape() const;
  /// Assigns a Keras-layout array; a wrong shape throws ValueError naming the layer and both shapes.
  void set(const torch::Tensor& keras_value, const std::string& layer_name) const;
  /// A shape as Python prints a tuple: "(3, 3, 64, 64)", "(64,)".
  static std::string shape_string(const std::vector<int64_t>& s);
};

/// Total element count of a list of weights, each tensor counted once (Keras's `count_params`).
int64_t count_params(const std::vector<Weight>& weights);

}  // namespace tl

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/weight-inl.hpp>
#endif
