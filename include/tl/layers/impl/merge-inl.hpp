#pragma once
#include <tl/core/detail/reuse.hpp>
#include <tl/core/json.hpp>
#include <tl/layers/merge.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace tl::layers {

// ---- MergeImpl ----

TL_INLINE Shape MergeImpl::compute_output_shape(const std::vector<Shape>& shapes) const {
  detail::check(!shapes.empty(), error_prefix() + "a merge layer should be called on a list of at least 1 input. "
                                                  "Got 0 inputs.");
  std::set<int64_t> batch_sizes;
  for (const auto& s : shapes) {
    detail::check(!s.empty(), error_prefix() + "a merge layer needs inputs with a batch dimension, got " +
                                  shapes_string(shapes));
    if (s[0] != None) batch_sizes.insert(s[0]);
  }
  detail::check(batch_sizes.size() <= 1, error_prefix() + "Cannot merge tensors with different batch sizes. Got "
                                                          "tensors with shapes " + shapes_string(shapes));
  return merged_shape(shapes);
}

TL_INLINE torch::Tensor MergeImpl::call(const std::vector<torch::Tensor>& xs, bool training) {
  std::vector<Shape> shapes;
  std::vector<torch::Tensor> internal;
  for (const auto& x : xs) {
    shapes.emplace_back(x.sizes().begin(), x.sizes().end());
    internal.push_back(to_internal_layout(x));
  }
  compute_output_shape(shapes);
  return to_keras_layout(forward_internal(internal, training));
}

TL_INLINE std::string MergeImpl::shapes_string(const std::vector<Shape>& shapes) {
  std::string s = "[";
  for (size_t i = 0; i < shapes.size(); ++i) s.append(i ? ", " : "").append(to_string(shapes[i]));
  return s + "]";
}

// ---- ElementwiseMergeImpl ----

TL_INLINE Shape ElementwiseMergeImpl::merged_shape(const std::vector<Shape>& shapes) const {
  Shape out(shapes[0].begin() + 1, shapes[0].end());
  int64_t batch = None;
  for (size_t i = 0; i < shapes.size(); ++i) {
    if (shapes[i][0] != None) batch = shapes[i][0];
    if (i) out = elementwise_shape(out, Shape(shapes[i].begin() + 1, shapes[i].end()));
  }
  out.insert(out.begin(), batch);
  return out;
}

TL_INLINE Shape ElementwiseMergeImpl::elementwise_shape(const Shape& a, const Shape& b) const {
  if (a.size() < b.size()) return elementwise_shape(b, a);
  Shape out(a.begin(), a.end() - static_cast<std::ptrdiff_t>(b.size()));
  for (size_t k = 0; k < b.size(); ++k) {
    const int64_t i = a[a.size() - b.size() + k], j = b[k];
    if (i == None || j == None) out.push_back(None);
    else if (i == 1) out.push_back(j);
    else if (j == 1 || i == j) out.push_back(i);
    else
      throw ValueError(error_prefix() + "Inputs have incompatible shapes. Received shapes " + to_string(a) + " and " +
                       to_string(b));
  }
  return out;
}

TL_INLINE std::vector<torch::Tensor> ElementwiseMergeImpl::same_rank(const std::vector<torch::Tensor>& inputs) {
  int64_t rank = 0;
  for (const auto& x : inputs) rank = std::max(rank, x.dim());
  std::vector<torch::Tensor> out;
  for (const auto& x : inputs) {
    if (x.dim() == rank) {
      out.push_back(x);
      continue;
    }
    auto keras = to_keras_layout(x);
    while (keras.dim() < rank) keras = keras.unsqueeze(1);
    out.push_back(to_internal_layout(keras));
  }
  return out;
}

TL_INLINE torch::Tensor ElementwiseMergeImpl::forward_internal(const std::vector<torch::Tensor>& inputs, bool) {
  const auto xs = same_rank(inputs);
  auto out = xs.at(0);
  for (size_t i = 1; i < xs.size(); ++i) out = merge_two(out, xs[i]);
  return out;
}

TL_INLINE std::optional<size_t> ElementwiseMergeImpl::accumulator(const std::vector<torch::Tensor>& inputs) {
  if (inputs.size() < 2) return std::nullopt;
  const auto takes_all = [&](const torch::Tensor& into) {
    for (const auto& x : inputs) {
      if (x.dim() != into.dim() || x.scalar_type() != into.scalar_type()) return false;
      for (int64_t d = 0; d < x.dim(); ++d)
        if (x.size(d) != into.size(d) && x.size(d) != 1) return false;
    }
    return true;
  };
  for (size_t i = 0; i < (inputs.size() == 2 ? 2 : 1); ++i)
    if (tl::detail::reusable(inputs[i]) && takes_all(inputs[i])) return i;
  return std::nullopt;
}

TL_INLINE torch::Tensor ElementwiseMergeImpl::forward_reusing(std::vector<torch::Tensor>& inputs, bool training) {
  const auto into = accumulator(inputs);
  if (!into) return forward_internal(inputs, training);
  auto& out = inputs[*into];
  for (size_t i = 0; i < inputs.size(); ++i)
    if (i != *into) merge_into(out, inputs[i]);
  return out;
}

// ---- Add, Multiply ----

TL_INLINE AddImpl::AddImpl(const AddOptions& options) : ElementwiseMergeImpl("Add", options.name) {}

TL_INLINE torch::Tensor AddImpl::merge_two(const torch::Tensor& a, const torch::Tensor& b) const { return a + b; }
TL_INLINE void AddImpl::merge_into(torch::Tensor& into, const torch::Tensor& b) const { into.add_(b); }

TL_INLINE MultiplyImpl::MultiplyImpl(const MultiplyOptions& options) : ElementwiseMergeImpl("Multiply", options.name) {}

TL_INLINE torch::Tensor MultiplyImpl::merge_two(const torch::Tensor& a, const torch::Tensor& b) const { return a * b; }
TL_INLINE void MultiplyImpl::merge_into(torch::Tensor& into, const torch::Tensor& b) const { into.mul_(b); }

// ---- Concatenate ----

TL_INLINE ConcatenateImpl::ConcatenateImpl(ConcatenateOptions options)
    : MergeImpl("Concatenate", options.name), options_(std::move(options)) {}

TL_INLINE int64_t ConcatenateImpl::keras_axis(size_t rank) const {
  const auto r = static_cast<int64_t>(rank);
  const int64_t axis = options_.axis < 0 ? options_.axis + r : options_.axis;
  detail::check(axis >= 0 && axis < r, error_prefix() + "axis " + std::to_string(options_.axis) +
                                           " is out of range for inputs of rank " + std::to_string(r));
  return axis;
}

TL_INLINE Shape ConcatenateImpl::merged_shape(const std::vector<Shape>& shapes) const {
  const auto mismatch = [&] {
    return ValueError(error_prefix() + "A `Concatenate` layer requires inputs with matching shapes except for the "
                                       "concatenation axis. Received: input_shape=" + shapes_string(shapes));
  };
  for (const auto& s : shapes)
    if (s.size() != shapes[0].size()) throw mismatch();
  const auto axis = keras_axis(shapes[0].size());
  Shape out = shapes[0];
  for (size_t d = 0; d < out.size(); ++d) {
    if (int64_t(d) == axis) continue;
    int64_t known = None;
    for (const auto& s : shapes) {
      if (s[d] == None) continue;
      if (known != None && s[d] != known && d > 0) throw mismatch();
      known = s[d];
    }
  }
  for (size_t i = 1; i < shapes.size() && out[axis] != None; ++i)
    out[axis] = shapes[i][axis] == None ? None : out[axis] + shapes[i][axis];
  return out;
}

TL_INLINE torch::Tensor ConcatenateImpl::forward_internal(const std::vector<torch::Tensor>& inputs, bool) {
  if (inputs.size() == 1) return inputs[0];
  const auto rank = inputs.at(0).dim();
  auto axis = keras_axis(size_t(rank));
  if (rank == 4) axis = axis == 0 ? 0 : axis == 3 ? 1 : axis + 1;  // Keras's NHWC axis on tl's NCHW tensors
  return torch::cat(inputs, axis);
}

TL_INLINE json ConcatenateImpl::get_config() const { return config_with({{"axis", options_.axis}}); }

// ---- handles and functional forms ----

TL_INLINE Add::Add(const AddOptions& options) : MergeHandle(std::make_shared<AddImpl>(options)) {}
TL_INLINE Multiply::Multiply(const MultiplyOptions& options) : MergeHandle(std::make_shared<MultiplyImpl>(options)) {}
TL_INLINE Concatenate::Concatenate(ConcatenateOptions options)
    : MergeHandle(std::make_shared<ConcatenateImpl>(std::move(options))) {}

TL_INLINE KerasTensor add(const std::vector<KerasTensor>& inputs, const AddOptions& options) {
  return Add(options)(inputs);
}
TL_INLINE KerasTensor multiply(const std::vector<KerasTensor>& inputs, const MultiplyOptions& options) {
  return Multiply(options)(inputs);
}
TL_INLINE KerasTensor concatenate(const std::vector<KerasTensor>& inputs, ConcatenateOptions options) {
  return Concatenate(std::move(options))(inputs);
}

}  // namespace tl::layers
