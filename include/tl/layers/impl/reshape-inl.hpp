#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/reshape.hpp>

#include <optional>

namespace tl::layers {

namespace reshape_detail {
/// A list as Python prints it: `[1, 1, 24]`, `[-1, 24]`.
TL_INLINE std::string python_list(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s.append(i ? ", " : "").append(std::to_string(v[i]));
  return s + "]";
}
}  // namespace reshape_detail

TL_INLINE ReshapeImpl::ReshapeImpl(std::vector<int64_t> target_shape, const ReshapeOptions& options)
    : SingleInputLayerImpl("Reshape", options.name), target_shape_(std::move(target_shape)) {}

TL_INLINE Shape ReshapeImpl::output_shape_for(const Shape& in) const {
  using reshape_detail::python_list;
  detail::check(!in.empty(), error_prefix() + "expects an input with a batch dimension, got shape " + to_string(in));
  Shape out{in[0]};
  const std::vector<int64_t> sample(in.begin() + 1, in.end());
  bool unknown_input = false;
  for (auto d : sample) unknown_input = unknown_input || d == None;
  if (unknown_input) {  // Keras: -1 entries become None
    for (auto d : target_shape_) out.push_back(d < 0 ? None : d);
    return out;
  }
  // Keras's _fix_unknown_dimension (numpy's rule).
  const std::string message = error_prefix() + "total size of new array must be unchanged, input_shape = " +
                              python_list(sample) + ", output_shape = " + python_list(target_shape_);
  int64_t known = 1, original = 1;
  std::optional<size_t> unknown;
  for (size_t i = 0; i < target_shape_.size(); ++i) {
    if (target_shape_[i] < 0) {
      detail::check(!unknown, error_prefix() + "There must be at most one unknown dimension in output_shape. "
                                               "Received: output_shape=" + python_list(target_shape_) + ".");
      unknown = i;
    } else {
      known *= target_shape_[i];
    }
  }
  for (auto d : sample) original *= d;
  auto fixed = target_shape_;
  if (unknown) {
    if (known == 0 || original % known != 0) throw ValueError(message);
    fixed[*unknown] = original / known;
  } else if (original != known) {
    throw ValueError(message);
  }
  out.insert(out.end(), fixed.begin(), fixed.end());
  return out;
}

TL_INLINE torch::Tensor ReshapeImpl::forward_one(const torch::Tensor& x, bool) {
  std::vector<int64_t> shape{x.size(0)};
  shape.insert(shape.end(), target_shape_.begin(), target_shape_.end());
  for (size_t i = 1; i < shape.size(); ++i)
    if (shape[i] < 0) shape[i] = -1;
  return to_internal_layout(to_keras_layout(x).reshape(shape));
}

TL_INLINE json ReshapeImpl::get_config() const { return config_with({{"target_shape", target_shape_}}); }

TL_INLINE Reshape::Reshape(std::vector<int64_t> target_shape, const ReshapeOptions& options)
    : LayerHandle(std::make_shared<ReshapeImpl>(std::move(target_shape), options)) {}

}  // namespace tl::layers
