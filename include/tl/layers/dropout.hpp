#pragma once
// keras.layers.Dropout: zeroes a fraction `rate` of the inputs while training, scaling the rest by 1 / (1 - rate).
#include <tl/layers/config.hpp>
#include <tl/layers/layer.hpp>

#include <ATen/CPUGeneratorImpl.h>

#include <optional>

namespace tl::layers {

/// Keras's keyword arguments of Dropout.
struct DropoutOptions {
  std::optional<uint64_t> seed = std::nullopt;  ///< makes the masks reproducible (drawn on the CPU)
  std::string name = "";
};

class DropoutImpl : public SingleInputLayerImpl {
 public:
  DropoutImpl(double rate, DropoutOptions options)
      : SingleInputLayerImpl("Dropout", options.name), rate_(rate), options_(std::move(options)) {
    detail::check(rate >= 0 && rate < 1, error_prefix() + "rate must be in [0, 1), got " + std::to_string(rate));
    if (options_.seed) generator_ = at::detail::createCPUGenerator(*options_.seed);
  }
  Shape output_shape_for(const Shape& in) const override { return in; }
  torch::Tensor forward_one(const torch::Tensor& x, bool training) override {
    if (!training || rate_ == 0) return x;
    if (!generator_.defined()) return torch::dropout(x, rate_, true);
    auto keep = torch::empty_like(x, x.options().device(torch::kCPU)).bernoulli_(1 - rate_, generator_);
    return x * keep.to(x.device()) / (1 - rate_);
  }
  double rate() const { return rate_; }
  io::json::Value get_config() const override {
    return config_with({{"rate", rate_}, {"noise_shape", nullptr},
                        {"seed", options_.seed ? io::json::Value(int64_t(*options_.seed)) : io::json::Value()}});
  }
  bool frozen_in_training() const override { return rate_ == 0; }  // random while training

 private:
  double rate_;
  DropoutOptions options_;
  at::Generator generator_;
};

/// `keras.layers.Dropout(rate)`: `x = tl::layers::Dropout(0.2)(x);` (a no-op outside training).
class Dropout : public LayerHandle<DropoutImpl> {
 public:
  explicit Dropout(double rate, DropoutOptions options = {})
      : LayerHandle(std::make_shared<DropoutImpl>(rate, std::move(options))) {}
};

}  // namespace tl::layers
