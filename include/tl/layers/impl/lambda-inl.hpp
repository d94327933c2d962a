#pragma once
#include <tl/core/detail/reuse.hpp>
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/lambda.hpp>

namespace tl::layers {

TL_INLINE ScaledResidualImpl::ScaledResidualImpl(double scale, ScaledResidualOptions options)
    : ElementwiseMergeImpl("Lambda", options.name), scale_(scale), options_(std::move(options)) {}

TL_INLINE bool ScaledResidualImpl::recognizes(const json& config) {
  const auto function = config.find("function");
  if (function == config.end()) return false;
  if (function->is_string() && function->get<std::string>() == function_name) return true;
  // Keras's own: bytecode of the lambda in keras.applications.inception_resnet_v2 (or keras_applications',
  // tensorflow.python.keras's), whose only argument is the scale.
  const auto module = config::string_or(config, "module", "");
  const std::string suffix = "inception_resnet_v2";
  const bool keras_module = module.size() >= suffix.size() &&
                            module.compare(module.size() - suffix.size(), suffix.size(), suffix) == 0;
  const auto arguments = config.find("arguments");
  return config::string_or(config, "function_type", "") == "lambda" && keras_module && arguments != config.end() &&
         arguments->is_object() && arguments->size() == 1 && arguments->contains("scale") &&
         arguments->at("scale").is_number();
}

TL_INLINE Shape ScaledResidualImpl::merged_shape(const std::vector<Shape>& shapes) const {
  detail::check(shapes.size() == 2, error_prefix() + "the scaled residual `inputs[0] + inputs[1] * scale` takes 2 "
                                                     "inputs, got " + std::to_string(shapes.size()));
  auto out = ElementwiseMergeImpl::merged_shape(shapes);
  if (options_.output_shape) {
    const auto& given = *options_.output_shape;
    bool compatible = given.size() + 1 == out.size();
    for (size_t d = 0; compatible && d < given.size(); ++d)
      compatible = given[d] == None || out[d + 1] == None || given[d] == out[d + 1];
    detail::check(compatible, error_prefix() + "output_shape " + to_string(given) +
                                  " does not match the inputs' shapes " + shapes_string(shapes));
    for (size_t d = 0; d < given.size(); ++d)
      if (out[d + 1] == None) out[d + 1] = given[d];
  }
  return out;
}

TL_INLINE torch::Tensor ScaledResidualImpl::merge_two(const torch::Tensor& a, const torch::Tensor& b) const {
  return a + b * scale_;  // two roundings in float32, as TensorFlow's multiply then add
}

TL_INLINE void ScaledResidualImpl::merge_into(torch::Tensor& into, const torch::Tensor& b) const {
  into.add_(b * scale_);
}

TL_INLINE torch::Tensor ScaledResidualImpl::forward_reusing(std::vector<torch::Tensor>& inputs, bool training) {
  if (inputs.size() == 2 && inputs[0].sizes() == inputs[1].sizes() &&
      inputs[0].scalar_type() == inputs[1].scalar_type()) {
    if (tl::detail::reusable(inputs[1])) return inputs[1].mul_(scale_).add_(inputs[0]);  // (up * s) + x == x + up * s
    if (tl::detail::reusable(inputs[0])) return inputs[0].add_(inputs[1] * scale_);
  }
  return forward_internal(inputs, training);
}

TL_INLINE json ScaledResidualImpl::get_config() const {
  const auto& shape = options_.output_shape;
  return config_with({{"function", function_name}, {"function_type", "function"}, {"module", "tl.layers"},
                      {"output_shape", shape ? config::shape(*shape) : json(nullptr)}, {"output_shape_type", "raw"},
                      {"output_shape_module", nullptr}, {"arguments", {{"scale", scale_}}}});
}

TL_INLINE ScaledResidual::ScaledResidual(double scale, ScaledResidualOptions options)
    : MergeHandle(std::make_shared<ScaledResidualImpl>(scale, std::move(options))) {}

}  // namespace tl::layers
