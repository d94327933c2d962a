#pragma once
#include <tl/core/detail/reuse.hpp>
#include <tl/core/json.hpp>
#include <tl/layers/relu.hpp>


namespace tl::layers {

namespace relu_detail {
// Keras keeps the arguments as float32 (backend.cast_to_floatx): its config holds their float32 values.
TL_INLINE double floatx(double v) { return double(float(v)); }
TL_INLINE std::string python_float(double v) { return json_dumps(json(v)); }
}  // namespace relu_detail

TL_INLINE ReLUImpl::ReLUImpl(ReLUOptions options) : SingleInputLayerImpl("ReLU", options.name), options_(options) {
  using relu_detail::python_float;
  if (options_.max_value)
    detail::check(*options_.max_value >= 0, error_prefix() + "max_value of a ReLU layer cannot be a negative value. "
                                                             "Received: " + python_float(*options_.max_value));
  detail::check(options_.negative_slope >= 0, error_prefix() + "negative_slope of a ReLU layer cannot be a negative "
                                                               "value. Received: " +
                                                  python_float(options_.negative_slope));
  detail::check(options_.threshold >= 0, error_prefix() + "threshold of a ReLU layer cannot be a negative value. "
                                                          "Received: " + python_float(options_.threshold));
  if (options_.max_value) options_.max_value = relu_detail::floatx(*options_.max_value);
  options_.negative_slope = relu_detail::floatx(options_.negative_slope);
  options_.threshold = relu_detail::floatx(options_.threshold);
}

TL_INLINE Shape ReLUImpl::output_shape_for(const Shape& in) const { return in; }

TL_INLINE torch::Tensor ReLUImpl::compute(const torch::Tensor& input, bool in_place) const {
  const auto& max_value = options_.max_value;
  const double alpha = options_.negative_slope, threshold = options_.threshold;
  auto x = input;
  if (alpha != 0 && !max_value && threshold == 0)  // tf.nn.leaky_relu
    return in_place ? torch::leaky_relu_(x, alpha) : torch::leaky_relu(x, alpha);
  if (alpha == 0 && threshold == 0) {  // relu, relu6 or clip(relu(x), 0, max): one clamp
    if (!max_value) return in_place ? x.relu_() : torch::relu(x);
    return in_place ? x.clamp_(0, *max_value) : torch::clamp(x, 0, *max_value);
  }
  torch::Tensor negative_part;
  if (alpha != 0) negative_part = torch::relu(threshold != 0 ? threshold - x : -x);
  // `x * (x > threshold)`, as backend.relu writes it (so -inf and NaN below the threshold give NaN, as in TF).
  x = threshold != 0 ? x * x.gt(threshold).to(x.scalar_type()) : torch::relu(x);
  if (max_value) x = torch::clamp(x, 0, *max_value);
  return alpha != 0 ? x - negative_part * alpha : x;
}

TL_INLINE torch::Tensor ReLUImpl::forward_one(const torch::Tensor& x, bool) { return compute(x, false); }

TL_INLINE torch::Tensor ReLUImpl::forward_reusing(std::vector<torch::Tensor>& inputs, bool) {
  auto& x = inputs.at(0);
  return compute(x, tl::detail::reusable(x));
}

TL_INLINE json ReLUImpl::get_config() const {
  const auto& o = options_;
  return config_with({{"max_value", o.max_value ? json(*o.max_value) : json(nullptr)},
                      {"negative_slope", o.negative_slope}, {"threshold", o.threshold}});
}

TL_INLINE ReLU::ReLU(ReLUOptions options) : LayerHandle(std::make_shared<ReLUImpl>(std::move(options))) {}

TL_INLINE ReLU::ReLU(double max_value, ReLUOptions options)
    : LayerHandle(std::make_shared<ReLUImpl>([&] {
        options.max_value = max_value;
        return std::move(options);
      }())) {}

}  // namespace tl::layers
