#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/dropout.hpp>

#include <ATen/CPUGeneratorImpl.h>

namespace tl::layers {

TL_INLINE DropoutImpl::DropoutImpl(double rate, DropoutOptions options)
    : SingleInputLayerImpl("Dropout", options.name), rate_(rate), options_(std::move(options)) {
  detail::check(rate >= 0 && rate < 1, error_prefix() + "rate must be in [0, 1), got " + std::to_string(rate));
  if (options_.noise_shape)
    for (auto d : *options_.noise_shape)
      detail::check(d == None || d > 0, error_prefix() + "noise_shape entries must be None or positive, got " +
                                            to_string(*options_.noise_shape));
  if (options_.seed) generator_ = at::detail::createCPUGenerator(*options_.seed);
}

TL_INLINE Shape DropoutImpl::output_shape_for(const Shape& in) const {
  if (options_.noise_shape) {
    const auto& noise = *options_.noise_shape;
    bool fits = noise.size() == in.size();
    for (size_t d = 0; fits && d < in.size(); ++d) fits = noise[d] == None || noise[d] == 1 || in[d] == None || noise[d] == in[d];
    detail::check(fits, error_prefix() + "noise_shape " + to_string(noise) + " does not broadcast to the input shape " +
                            to_string(in));
  }
  return in;
}

TL_INLINE torch::Tensor DropoutImpl::forward_one(const torch::Tensor& x, bool training) {
  if (!training || rate_ == 0) return x;
  auto mask_shape = x.sizes().vec();
  if (options_.noise_shape) {
    auto noise = *options_.noise_shape;  // Keras's order: for images (N, H, W, C), tl's (N, C, H, W)
    if (noise.size() == 4) noise = {noise[0], noise[3], noise[1], noise[2]};
    for (size_t d = 0; d < noise.size() && d < mask_shape.size(); ++d)
      if (noise[d] != None) mask_shape[d] = noise[d];
  } else if (!generator_.defined()) {
    return torch::dropout(x, rate_, true);
  }
  auto keep = generator_.defined()
                  ? torch::empty(mask_shape, x.options().device(torch::kCPU)).bernoulli_(1 - rate_, generator_).to(x.device())
                  : torch::empty(mask_shape, x.options()).bernoulli_(1 - rate_);
  return x * keep / (1 - rate_);
}

TL_INLINE json DropoutImpl::get_config() const {
  return config_with({{"rate", rate_},
                      {"noise_shape", options_.noise_shape ? config::shape(*options_.noise_shape) : json(nullptr)},
                      {"seed", options_.seed ? json(int64_t(*options_.seed)) : json(nullptr)}});
}

TL_INLINE bool DropoutImpl::frozen_in_training() const { return rate_ == 0; }

TL_INLINE Dropout::Dropout(double rate, DropoutOptions options)
    : LayerHandle(std::make_shared<DropoutImpl>(rate, std::move(options))) {}

}  // namespace tl::layers
