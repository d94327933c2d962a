#pragma once
// Multiply-accumulates per image of a built model, counted from its layers' shapes (shared by tl_bench and
// applications_bench; the peers count theirs with forward hooks, a cross-check).
#include <tl/tl.hpp>

namespace bench {

/// MACs of one image through the model's Conv2D, DepthwiseConv2D, SeparableConv2D and Dense layers: each 4-D kernel
/// (OIHW, depthwise or pointwise) costs its element count per output pixel, a Dense kernel its element count.
/// Needs a model built on a static input size.
inline double macs_per_image(const tl::Model& model) {
  double macs = 0;
  for (const auto& layer : model.layers()) {
    const auto weights = layer->weights();
    if (weights.empty() || layer->node_count() == 0) continue;
    const auto& kind = layer->class_name();
    if (kind != "Conv2D" && kind != "DepthwiseConv2D" && kind != "SeparableConv2D" && kind != "Dense") continue;
    const auto out = layer->call_output_shapes()[0];
    const double pixels = out.size() == 4 ? double(out[1] * out[2]) : 1.0;
    for (const auto& w : weights)
      if (w.value.dim() >= 2) macs += pixels * double(w.value.numel());
  }
  return macs;
}

}  // namespace bench
