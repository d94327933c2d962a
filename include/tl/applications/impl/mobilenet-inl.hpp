#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/detail/mobile_common.hpp>
#include <tl/applications/mobilenet.hpp>
#include <tl/core/errors.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/depthwise_conv2d.hpp>
#include <tl/layers/dropout.hpp>
#include <tl/layers/global_pooling.hpp>
#include <tl/layers/relu.hpp>
#include <tl/layers/reshape.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <array>
#include <utility>

// tf.keras 2.11's keras/applications/mobilenet.py.
namespace tl::applications::detail::mobilenet {

inline constexpr const char* base_weight_path = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/";

/// _conv_block: conv1 ('same', no bias), conv1_bn, conv1_relu (ReLU 6). tf.keras 2.11 convolves with 'same'
/// where keras_applications 1.0.8 padded ((0, 1), (0, 1)) and ran 'valid' (the same numbers at even sizes).
TL_INLINE KerasTensor conv_block(const KerasTensor& inputs, int64_t filters, double alpha) {
  auto x = layers::Conv2D(int64_t(double(filters) * alpha), 3,
                          {.strides = 2, .padding = "same", .use_bias = false, .name = "conv1"})(inputs);
  x = layers::BatchNormalization({.axis = -1, .name = "conv1_bn"})(x);
  return layers::ReLU(6.0, {.name = "conv1_relu"})(x);
}

/// _depthwise_conv_block: [conv_pad_<id> ((0, 1), (0, 1)) before a stride-2 'valid' depthwise convolution — fixed,
/// whatever the parity of the size], conv_dw_<id>, _bn, _relu, conv_pw_<id> (1x1), _bn, _relu.
TL_INLINE KerasTensor depthwise_conv_block(const KerasTensor& inputs, int64_t pointwise_filters, double alpha,
                                           int64_t depth_multiplier, int64_t stride, int block_id) {
  const auto id = std::to_string(block_id);
  auto x = inputs;
  if (stride != 1) x = layers::ZeroPadding2D({{0, 1}, {0, 1}}, {.name = "conv_pad_" + id})(x);
  x = layers::DepthwiseConv2D(3, {.strides = stride,
                                  .padding = stride == 1 ? "same" : "valid",
                                  .depth_multiplier = depth_multiplier,
                                  .use_bias = false,
                                  .name = "conv_dw_" + id})(x);
  x = layers::BatchNormalization({.axis = -1, .name = "conv_dw_" + id + "_bn"})(x);
  x = layers::ReLU(6.0, {.name = "conv_dw_" + id + "_relu"})(x);
  x = layers::Conv2D(int64_t(double(pointwise_filters) * alpha), 1,
                     {.padding = "same", .use_bias = false, .name = "conv_pw_" + id})(x);
  x = layers::BatchNormalization({.axis = -1, .name = "conv_pw_" + id + "_bn"})(x);
  return layers::ReLU(6.0, {.name = "conv_pw_" + id + "_relu"})(x);
}

/// The 13 blocks: (pointwise filters, stride).
inline constexpr std::array<std::pair<int64_t, int64_t>, 13> blocks = {
    {{64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1},
     {1024, 2}, {1024, 1}}};

TL_INLINE WeightsFile weights_file(double alpha, int64_t rows, bool include_top) {
  const std::string alpha_text = alpha == 1.0 ? "1_0" : alpha == 0.75 ? "7_5" : alpha == 0.50 ? "5_0" : "2_5";
  const std::string fname =
      "mobilenet_" + alpha_text + "_" + std::to_string(rows) + "_tf" + (include_top ? "" : "_no_top") + ".h5";
  return {fname, base_weight_path + fname, ""};
}

}  // namespace tl::applications::detail::mobilenet

namespace tl::applications {

TL_INLINE Model MobileNet(const MobileNetOptions& options) {
  namespace m = detail::mobilenet;
  const auto& shape = options.input_shape;
  // default_size: the input's own size when it is square and one ImageNet size (tf.keras 2.11 looks at
  // input_shape only, not at input_tensor).
  const int64_t default_size =
      shape.size() >= 2 ? detail::imagenet_default_size(shape[0], shape[1], {128, 160, 192, 224}) : 224;
  detail::Application app({.name = "", .default_size = default_size, .min_size = 32}, detail::common_options(options));
  int64_t rows = app.input_shape()[0];
  const int64_t cols = app.input_shape()[1];
  if (app.imagenet()) {
    if (options.depth_multiplier != 1)
      throw ValueError("If imagenet weights are being loaded, depth multiplier must be 1.  Received depth_multiplier=" +
                       std::to_string(options.depth_multiplier));
    if (!detail::one_of(options.alpha, {0.25, 0.50, 0.75, 1.0}))
      throw ValueError("If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, `0.75` or `1.0` "
                       "only.  Received alpha=" + detail::python_float(options.alpha));
    if (rows != cols || !(rows == 128 || rows == 160 || rows == 192 || rows == 224)) {
      rows = 224;
      detail::log_warning("`input_shape` is undefined or non-square, or `rows` is not in [128, 160, 192, 224]. "
                          "Weights for input shape (224, 224) will be loaded as the default.");
    }
    app.spec().imagenet_top = m::weights_file(options.alpha, rows, true);
    app.spec().imagenet_notop = m::weights_file(options.alpha, rows, false);
  }
  app.spec().name = "mobilenet_" + detail::format_2f(options.alpha) + "_" + detail::dimension_text(rows);

  auto x = m::conv_block(app.input(), 32, options.alpha);
  int block_id = 1;
  for (const auto& [filters, stride] : m::blocks)
    x = m::depthwise_conv_block(x, filters, options.alpha, options.depth_multiplier, stride, block_id++);

  if (app.include_top()) {
    x = layers::GlobalAveragePooling2D({.keepdims = true})(x);
    x = layers::Dropout(options.dropout, {.name = "dropout"})(x);
    x = layers::Conv2D(options.classes, 1, {.padding = "same", .name = "conv_preds"})(x);
    x = layers::Reshape({options.classes}, {.name = "reshape_2"})(x);
    x = layers::Activation(options.classifier_activation, {.name = "predictions"})(x);
  } else {
    x = app.pooling(x, {.avg = "", .max = ""});  // auto-named global_average_pooling2d / global_max_pooling2d
  }
  return app.model(x);
}

namespace mobilenet {

TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "tf"}); }

TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}

}  // namespace mobilenet
}  // namespace tl::applications
