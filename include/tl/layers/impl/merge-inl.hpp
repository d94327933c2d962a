#pragma once
#include <tl/core/detail/reuse.hpp>
#include <tl/layers/merge.hpp>

#include <algorithm>
#include <optional>

namespace tl::layers {


TL_INLINE AddImpl::AddImpl(const AddOptions& options) : LayerImpl("Add", options.name) {}

// The first one, or either of two: a + b is b + a bit for bit, a longer sum is not reordered.
TL_INLINE std::optional<size_t> AddImpl::accumulator(const std::vector<torch::Tensor>& inputs) {
  for (const auto& x : inputs)
    if (x.sizes() != inputs[0].sizes() || x.scalar_type() != inputs[0].scalar_type()) return std::nullopt;
  for (size_t i = 0; i < (inputs.size() == 2 ? 2 : 1); ++i)
    if (tl::detail::reusable(inputs[i])) return i;
  return std::nullopt;
}

TL_INLINE Shape AddImpl::compute_output_shape(const std::vector<Shape>& shapes) const {
  detail::check(shapes.size() >= 2, error_prefix() + "a merge layer should be called on a list of at least 2 "
                                                         "inputs, got " + std::to_string(shapes.size()));
  Shape out = shapes[0];
  for (size_t i = 1; i < shapes.size(); ++i) out = merge(out, shapes[i], shapes);
  return out;
}

TL_INLINE torch::Tensor AddImpl::forward_internal(const std::vector<torch::Tensor>& inputs, bool) {
  auto sum = inputs.at(0);
  for (size_t i = 1; i < inputs.size(); ++i) sum = sum + inputs[i];
  return sum;
}

TL_INLINE torch::Tensor AddImpl::forward_reusing(std::vector<torch::Tensor>& inputs, bool training) {
  const auto into = accumulator(inputs);
  if (!into) return forward_internal(inputs, training);
  auto& sum = inputs[*into];
  for (size_t i = 0; i < inputs.size(); ++i)
    if (i != *into) sum.add_(inputs[i]);
  return sum;
}

TL_INLINE torch::Tensor AddImpl::call(const std::vector<torch::Tensor>& xs, bool training) {
  std::vector<Shape> shapes;
  std::vector<torch::Tensor> internal;
  for (const auto& x : xs) {
    shapes.emplace_back(x.sizes().begin(), x.sizes().end());
    internal.push_back(to_internal_layout(x));
  }
  compute_output_shape(shapes);
  return to_keras_layout(forward_internal(internal, training));
}

TL_INLINE Shape AddImpl::merge(const Shape& a, const Shape& b, const std::vector<Shape>& all) const {
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

TL_INLINE Add::Add(const AddOptions& options) : LayerHandle(std::make_shared<AddImpl>(options)) {}

}  // namespace tl::layers
