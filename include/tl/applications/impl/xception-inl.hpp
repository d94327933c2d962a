#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/xception.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/pooling.hpp>
#include <tl/layers/separable_conv2d.hpp>

// keras/applications/xception.py, statement for statement (the shortcut convolutions, their BatchNormalization
// and the adds are auto-named in creation order).
namespace tl::applications::detail::xception {

inline constexpr const char* weights_path = "https://storage.googleapis.com/tensorflow/keras-applications/xception/";

TL_INLINE KerasTensor bn(const KerasTensor& x, const std::string& name = "") {
  return layers::BatchNormalization({.axis = -1, .name = name})(x);
}

TL_INLINE KerasTensor relu(const KerasTensor& x, const std::string& name) {
  return layers::Activation("relu", {.name = name})(x);
}

TL_INLINE KerasTensor sepconv_bn(const KerasTensor& x, int64_t filters, const std::string& name) {
  const auto y = layers::SeparableConv2D(filters, 3, {.padding = "same", .use_bias = false, .name = name})(x);
  return bn(y, name + "_bn");
}

/// The strided 1x1 shortcut of blocks 2, 3, 4 and 13: auto-named Conv2D + BatchNormalization.
TL_INLINE KerasTensor residual_of(const KerasTensor& x, int64_t filters) {
  const auto r = layers::Conv2D(filters, 1, {.strides = 2, .padding = "same", .use_bias = false})(x);
  return bn(r);
}

/// Entry-flow blocks 2-4 and block 13: [ReLU,] sepconv, BN, ReLU, sepconv, BN, max pooling, + shortcut.
TL_INLINE KerasTensor downsampling_block(const KerasTensor& x, int b, int64_t filters1, int64_t filters2,
                                         bool first_relu) {
  const auto prefix = "block" + std::to_string(b);
  const auto residual = residual_of(x, filters2);
  auto y = first_relu ? relu(x, prefix + "_sepconv1_act") : x;
  y = sepconv_bn(y, filters1, prefix + "_sepconv1");
  y = relu(y, prefix + "_sepconv2_act");
  y = sepconv_bn(y, filters2, prefix + "_sepconv2");
  y = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same", .name = prefix + "_pool"})(y);
  return layers::add({y, residual});
}

TL_INLINE KerasTensor body(const KerasTensor& input) {
  auto x = layers::Conv2D(32, 3, {.strides = 2, .use_bias = false, .name = "block1_conv1"})(input);
  x = relu(bn(x, "block1_conv1_bn"), "block1_conv1_act");
  x = layers::Conv2D(64, 3, {.use_bias = false, .name = "block1_conv2"})(x);
  x = relu(bn(x, "block1_conv2_bn"), "block1_conv2_act");

  x = downsampling_block(x, 2, 128, 128, /*first_relu=*/false);
  x = downsampling_block(x, 3, 256, 256, true);
  x = downsampling_block(x, 4, 728, 728, true);

  for (int i = 0; i < 8; ++i) {  // middle flow, blocks 5-12
    const auto residual = x;
    const auto prefix = "block" + std::to_string(i + 5);
    for (int k = 1; k <= 3; ++k) {
      const auto conv = prefix + "_sepconv" + std::to_string(k);
      x = sepconv_bn(relu(x, conv + "_act"), 728, conv);
    }
    x = layers::add({x, residual});
  }

  x = downsampling_block(x, 13, 728, 1024, true);

  x = sepconv_bn(x, 1536, "block14_sepconv1");
  x = relu(x, "block14_sepconv1_act");
  x = sepconv_bn(x, 2048, "block14_sepconv2");
  return relu(x, "block14_sepconv2_act");
}

}  // namespace tl::applications::detail::xception

namespace tl::applications {

TL_INLINE Model Xception(const XceptionOptions& options) {
  using detail::xception::weights_path;
  const detail::Application app(
      {.name = "xception",
       .default_size = 299,
       .min_size = 71,
       .imagenet_top = detail::tf_kernels_file(weights_path, "xception", "", "0a58e3b7378bc2990ea3b43d5981f1f6"),
       .imagenet_notop =
           detail::tf_kernels_file(weights_path, "xception", "_notop", "b0042744bf5b25fce3cb969f33bebb97")},
      detail::common_options(options));
  return app.model(app.head(detail::xception::body(app.input()), {}, {.avg = "", .max = ""}));
}

namespace xception {
TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "tf"}); }
TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}
}  // namespace xception

}  // namespace tl::applications
