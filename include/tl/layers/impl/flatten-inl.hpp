#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/flatten.hpp>

namespace tl::layers {

TL_INLINE FlattenImpl::FlattenImpl(const FlattenOptions& options) : SingleInputLayerImpl("Flatten", options.name) {}

TL_INLINE Shape FlattenImpl::output_shape_for(const Shape& in) const {
  detail::check(!in.empty(), error_prefix() + "expects an input with a batch dimension, got shape " + to_string(in));
  int64_t features = 1;
  for (size_t i = 1; i < in.size(); ++i) features = (in[i] == None || features == None) ? None : features * in[i];
  return {in[0], features};
}

TL_INLINE torch::Tensor FlattenImpl::forward_one(const torch::Tensor& x, bool) {
  if (x.dim() == 1) return x.unsqueeze(1);
  return to_keras_layout(x).reshape({x.size(0), -1});
}

TL_INLINE json FlattenImpl::get_config() const { return config_with({{"data_format", "channels_last"}}); }

TL_INLINE Flatten::Flatten(const FlattenOptions& options) : LayerHandle(std::make_shared<FlattenImpl>(options)) {}

}  // namespace tl::layers
