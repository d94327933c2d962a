#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/detail/mobile_common.hpp>
#include <tl/applications/mobilenet_v2.hpp>
#include <tl/core/errors.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/dense.hpp>
#include <tl/layers/depthwise_conv2d.hpp>
#include <tl/layers/global_pooling.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/relu.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <algorithm>
#include <array>

// tf.keras 2.11's keras/applications/mobilenet_v2.py.
namespace tl::applications::detail::mobilenet_v2 {

inline constexpr const char* base_weight_path =
    "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/";

/// BatchNormalization as every MobileNetV2 layer has it: epsilon 1e-3, momentum 0.999.
TL_INLINE KerasTensor bn(const KerasTensor& x, const std::string& name) {
  return layers::BatchNormalization({.axis = -1, .momentum = 0.999, .epsilon = 1e-3, .name = name})(x);
}

/// _inverted_res_block: [1x1 expand, BN, ReLU6] (not block 0, whose prefix is `expanded_conv_`),
/// [ZeroPadding2D(correct_pad) before a stride-2 'valid'] 3x3 depthwise, BN, ReLU6, 1x1 project, BN,
/// and the residual Add when the shape is kept.
TL_INLINE KerasTensor inverted_res_block(const KerasTensor& inputs, int64_t expansion, int64_t stride, double alpha,
                                         int64_t filters, int block_id) {
  const int64_t in_channels = inputs.shape().back();
  const int64_t pointwise_filters = make_divisible(double(int64_t(double(filters) * alpha)), 8);
  auto x = inputs;
  std::string prefix = "block_" + std::to_string(block_id) + "_";
  if (block_id) {
    x = layers::Conv2D(expansion * in_channels, 1, {.padding = "same", .use_bias = false, .name = prefix + "expand"})(x);
    x = bn(x, prefix + "expand_BN");
    x = layers::ReLU(6.0, {.name = prefix + "expand_relu"})(x);
  } else {
    prefix = "expanded_conv_";
  }
  if (stride == 2) x = layers::ZeroPadding2D(correct_pad(x.shape(), 3), {.name = prefix + "pad"})(x);
  x = layers::DepthwiseConv2D(
      3, {.strides = stride, .padding = stride == 1 ? "same" : "valid", .use_bias = false, .name = prefix + "depthwise"})(x);
  x = bn(x, prefix + "depthwise_BN");
  x = layers::ReLU(6.0, {.name = prefix + "depthwise_relu"})(x);
  x = layers::Conv2D(pointwise_filters, 1, {.padding = "same", .use_bias = false, .name = prefix + "project"})(x);
  x = bn(x, prefix + "project_BN");
  if (in_channels == pointwise_filters && stride == 1) return layers::Add({.name = prefix + "add"})({inputs, x});
  return x;
}

/// The 17 blocks: (filters, stride, expansion).
struct Block {
  int64_t filters, stride, expansion;
};
inline constexpr std::array<Block, 17> blocks = {{{16, 1, 1},
                                                  {24, 2, 6},
                                                  {24, 1, 6},
                                                  {32, 2, 6},
                                                  {32, 1, 6},
                                                  {32, 1, 6},
                                                  {64, 2, 6},
                                                  {64, 1, 6},
                                                  {64, 1, 6},
                                                  {64, 1, 6},
                                                  {96, 1, 6},
                                                  {96, 1, 6},
                                                  {96, 1, 6},
                                                  {160, 2, 6},
                                                  {160, 1, 6},
                                                  {160, 1, 6},
                                                  {320, 1, 6}}};

TL_INLINE WeightsFile weights_file(double alpha, int64_t rows, bool include_top) {
  const std::string fname = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_" + python_float(alpha) + "_" +
                            std::to_string(rows) + (include_top ? "" : "_no_top") + ".h5";
  return {fname, base_weight_path + fname, ""};
}

}  // namespace tl::applications::detail::mobilenet_v2

namespace tl::applications {

TL_INLINE Model MobileNetV2(const MobileNetV2Options& options) {
  namespace m = detail::mobilenet_v2;
  const auto& shape = options.input_shape;
  const std::vector<int64_t> sizes = {96, 128, 160, 192, 224};
  int64_t default_size = 224;
  if (!shape.empty() && options.input_tensor.defined()) {
    // Keras compares the tensor's width with input_shape[1] only.
    const auto& given = options.input_tensor.shape();
    if (shape.size() < 2 || given.size() < 3 || given[2] != shape[1])
      throw ValueError("input_tensor.shape[2] must equal input_shape[1]; Received `input_tensor.shape=" +
                       to_string(given) + "`, `input_shape=" + to_string(shape) + "`");
  }
  if (shape.empty() && options.input_tensor.defined()) {
    const auto& given = options.input_tensor.shape();
    if (given.size() >= 3) default_size = detail::imagenet_default_size(given[1], given[2], sizes);
  } else if (shape.size() >= 2) {
    default_size = detail::imagenet_default_size(shape[0], shape[1], sizes);
  }
  detail::Application app({.name = "", .default_size = default_size, .min_size = 32}, detail::common_options(options));
  int64_t rows = app.input_shape()[0];
  const int64_t cols = app.input_shape()[1];
  if (app.imagenet()) {
    if (!detail::one_of(options.alpha, {0.35, 0.50, 0.75, 1.0, 1.3, 1.4}))
      throw ValueError("If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, `0.75`, `1.0`, "
                       "`1.3` or `1.4` only; Received `alpha=" + detail::python_float(options.alpha) + "`");
    if (rows != cols || std::find(sizes.begin(), sizes.end(), rows) == sizes.end()) {
      rows = 224;
      detail::log_warning("`input_shape` is undefined or non-square, or `rows` is not in [96, 128, 160, 192, 224]. "
                          "Weights for input shape (224, 224) will be loaded as the default.");
    }
    app.spec().imagenet_top = m::weights_file(options.alpha, rows, true);
    app.spec().imagenet_notop = m::weights_file(options.alpha, rows, false);
  }
  app.spec().name = "mobilenetv2_" + detail::format_2f(options.alpha) + "_" + detail::dimension_text(rows);

  auto x = layers::Conv2D(detail::make_divisible(32 * options.alpha, 8), 3,
                          {.strides = 2, .padding = "same", .use_bias = false, .name = "Conv1"})(app.input());
  x = m::bn(x, "bn_Conv1");
  x = layers::ReLU(6.0, {.name = "Conv1_relu"})(x);
  int block_id = 0;
  for (const auto& b : m::blocks) x = m::inverted_res_block(x, b.expansion, b.stride, options.alpha, b.filters, block_id++);
  // No alpha on the last convolution unless it widens the network (as the paper).
  const int64_t last_block_filters = options.alpha > 1.0 ? detail::make_divisible(1280 * options.alpha, 8) : 1280;
  x = layers::Conv2D(last_block_filters, 1, {.use_bias = false, .name = "Conv_1"})(x);
  x = m::bn(x, "Conv_1_bn");
  x = layers::ReLU(6.0, {.name = "out_relu"})(x);
  // The top: auto-named GlobalAveragePooling2D + Dense "predictions"; pooling auto-named too.
  return app.model(app.head(x, {.pool_name = ""}, {.avg = "", .max = ""}));
}

namespace mobilenet_v2 {

TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "tf"}); }

TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}

}  // namespace mobilenet_v2
}  // namespace tl::applications
