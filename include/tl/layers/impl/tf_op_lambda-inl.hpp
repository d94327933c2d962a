#pragma once
#include <tl/core/detail/reuse.hpp>
#include <tl/core/json.hpp>
#include <tl/layers/tf_op_lambda.hpp>

#include <algorithm>

namespace tl::layers {

TL_INLINE const std::vector<std::string>& TFOpLambdaImpl::supported_functions() {
  static const std::vector<std::string> functions = {"__operators__.add", "math.add", "math.subtract",
                                                     "math.multiply", "math.truediv"};
  return functions;
}

namespace tf_op_lambda_detail {
TL_INLINE std::string checked_function(const std::string& function) {
  const auto& known = TFOpLambdaImpl::supported_functions();
  if (std::find(known.begin(), known.end(), function) != known.end()) return function;
  std::string names;
  for (const auto& k : known) names.append(names.empty() ? "" : ", ").append(k);
  throw ValueError("TFOpLambda: tl computes the TF functions " + names + " (tensor op constant), not \"" + function +
                   "\"");
}
}  // namespace tf_op_lambda_detail

TL_INLINE TFOpLambdaImpl::TFOpLambdaImpl(std::string function, double y, const TFOpLambdaOptions& options)
    : SingleInputLayerImpl("TFOpLambda", options.name.empty()
                                             ? tl::detail::unique_object_name_avoiding_observed(
                                                   "tf." + tf_op_lambda_detail::checked_function(function))
                                             : options.name),
      function_(std::move(function)), y_(y) {
  tf_op_lambda_detail::checked_function(function_);
}

TL_INLINE Shape TFOpLambdaImpl::output_shape_for(const Shape& in) const { return in; }

TL_INLINE torch::Tensor TFOpLambdaImpl::compute(torch::Tensor x, bool in_place) const {
  if (!x.is_floating_point()) {  // Keras's float32 compute dtype; the converted copy is this layer's own
    x = x.to(torch::kFloat);
    in_place = true;
  }
  const double y = double(float(y_));  // TF converts the Python float to the tensor's float32
  if (function_ == "__operators__.add" || function_ == "math.add") return in_place ? x.add_(y) : x + y;
  if (function_ == "math.subtract") return in_place ? x.sub_(y) : x - y;
  if (function_ == "math.multiply") return in_place ? x.mul_(y) : x * y;
  return in_place ? x.div_(y) : x / y;  // math.truediv
}

TL_INLINE torch::Tensor TFOpLambdaImpl::forward_one(const torch::Tensor& x, bool) { return compute(x, false); }

TL_INLINE torch::Tensor TFOpLambdaImpl::forward_reusing(std::vector<torch::Tensor>& inputs, bool) {
  auto& x = inputs.at(0);
  return compute(x, tl::detail::reusable(x));
}

TL_INLINE json TFOpLambdaImpl::get_config() const { return config_with({{"function", function_}}); }

TL_INLINE json TFOpLambdaImpl::call_kwargs() const { return json{{"y", y_}, {"name", nullptr}}; }

TL_INLINE TFOpLambda::TFOpLambda(std::string function, double y, const TFOpLambdaOptions& options)
    : LayerHandle(std::make_shared<TFOpLambdaImpl>(std::move(function), y, options)) {}

}  // namespace tl::layers
