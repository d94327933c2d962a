#pragma once
#include <tl/core/errors.hpp>
#include <tl/layers/weight.hpp>

#include <torch/utils.h>

#include <algorithm>

namespace tl {

TL_INLINE torch::Tensor Weight::get() const {
  auto v = value.detach();
  if (layout == WeightLayout::conv_kernel) v = v.permute({2, 3, 1, 0});
  if (layout == WeightLayout::depthwise_kernel) v = v.permute({2, 3, 0, 1});
  return v.to(torch::kCPU).contiguous().clone();
}

TL_INLINE std::vector<int64_t> Weight::keras_shape() const {
  auto s = value.sizes().vec();
  if (layout == WeightLayout::conv_kernel) return {s[2], s[3], s[1], s[0]};
  if (layout == WeightLayout::depthwise_kernel) return {s[2], s[3], s[0], s[1]};
  return s;
}

TL_INLINE void Weight::set(const torch::Tensor& keras_value, const std::string& layer_name) const {
  const auto expected = keras_shape();
  if (keras_value.sizes().vec() != expected)
    throw ValueError("Layer \"" + layer_name + "\" weight " + name + " has shape " + shape_string(expected) +
                     ", but the value given has shape " + shape_string(keras_value.sizes().vec()));
  auto v = layout == WeightLayout::conv_kernel        ? keras_value.permute({3, 2, 0, 1})
           : layout == WeightLayout::depthwise_kernel ? keras_value.permute({2, 3, 0, 1})
                                                      : keras_value;
  torch::NoGradGuard no_grad;
  value.copy_(v.to(value.options()));
}

TL_INLINE std::string Weight::shape_string(const std::vector<int64_t>& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

TL_INLINE int64_t count_params(const std::vector<Weight>& weights) {
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
