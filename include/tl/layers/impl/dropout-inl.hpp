#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/dropout.hpp>

#include <ATen/CPUGeneratorImpl.h>

namespace tl::layers {

TL_INLINE DropoutImpl::DropoutImpl(double rate, DropoutOptions options)
    : SingleInputLayerImpl("Dropout", options.name), rate_(rate), options_(std::move(options)) {
  detail::check(rate >= 0 && rate < 1, error_prefix() + "rate must be in [0, 1), got " + std::to_string(rate));
  if (options_.seed) generator_ = at::detail::createCPUGenerator(*options_.seed);
}

TL_INLINE Shape DropoutImpl::output_shape_for(const Shape& in) const { return in; }

TL_INLINE torch::Tensor DropoutImpl::forward_one(const torch::Tensor& x, bool training) {
  if (!training || rate_ == 0) return x;
  if (!generator_.defined()) return torch::dropout(x, rate_, true);
  auto keep = torch::empty_like(x, x.options().device(torch::kCPU)).bernoulli_(1 - rate_, generator_);
  return x * keep.to(x.device()) / (1 - rate_);
}

TL_INLINE json DropoutImpl::get_config() const {
  return config_with({{"rate", rate_}, {"noise_shape", nullptr},
                      {"seed", options_.seed ? json(int64_t(*options_.seed)) : json(nullptr)}});
}

TL_INLINE bool DropoutImpl::frozen_in_training() const { return rate_ == 0; }

TL_INLINE Dropout::Dropout(double rate, DropoutOptions options)
    : LayerHandle(std::make_shared<DropoutImpl>(rate, std::move(options))) {}

}  // namespace tl::layers
