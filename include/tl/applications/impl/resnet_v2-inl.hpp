#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/resnet_v2.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/pooling.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <array>

// resnet_common.py's ResNet v2 (block2, stack2, preact=True). Its own namespace: resnet-inl.hpp's
// detail::resnet_common holds v1's helpers.
namespace tl::applications::detail::resnet_v2 {

inline constexpr const char* weights_path = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/";
inline constexpr double bn_epsilon = 1.001e-5;

TL_INLINE KerasTensor bn(const KerasTensor& x, const std::string& name) {
  return layers::BatchNormalization({.axis = 3, .epsilon = bn_epsilon, .name = name})(x);
}

TL_INLINE KerasTensor relu(const KerasTensor& x, const std::string& name) {
  return layers::Activation("relu", {.name = name})(x);
}

/// resnet_common.block2: a pre-activation bottleneck; the projection `_0_conv` (stride 1) on the first block,
/// an auto-named MaxPooling2D(1, stride) shortcut on a strided one.
TL_INLINE KerasTensor block2(const KerasTensor& x, int64_t filters, int64_t stride, bool conv_shortcut,
                             const std::string& name) {
  const auto preact = relu(bn(x, name + "_preact_bn"), name + "_preact_relu");
  KerasTensor shortcut = x;
  if (conv_shortcut)
    shortcut = layers::Conv2D(4 * filters, 1, {.strides = stride, .name = name + "_0_conv"})(preact);
  else if (stride > 1)
    shortcut = layers::MaxPooling2D({.pool_size = 1, .strides = stride})(x);
  auto y = layers::Conv2D(filters, 1, {.strides = 1, .use_bias = false, .name = name + "_1_conv"})(preact);
  y = relu(bn(y, name + "_1_bn"), name + "_1_relu");
  y = layers::ZeroPadding2D({{1, 1}, {1, 1}}, {.name = name + "_2_pad"})(y);
  y = layers::Conv2D(filters, 3, {.strides = stride, .use_bias = false, .name = name + "_2_conv"})(y);
  y = relu(bn(y, name + "_2_bn"), name + "_2_relu");
  y = layers::Conv2D(4 * filters, 1, {.name = name + "_3_conv"})(y);
  return layers::Add({.name = name + "_out"})({shortcut, y});
}

/// resnet_common.stack2: the first block projects, the last one strides by `stride1`.
TL_INLINE KerasTensor stack2(KerasTensor x, int64_t filters, int blocks, int64_t stride1, const std::string& name) {
  x = block2(x, filters, 1, true, name + "_block1");
  for (int i = 2; i < blocks; ++i) x = block2(x, filters, 1, false, name + "_block" + std::to_string(i));
  return block2(x, filters, stride1, false, name + "_block" + std::to_string(blocks));
}

TL_INLINE Model ResNetV2(const std::string& model_name, const std::array<int, 4>& blocks, const std::string& top_md5,
                         const std::string& notop_md5, const ResNetOptions& options) {
  const Application app({.name = model_name,
                         .default_size = 224,
                         .min_size = 32,
                         .imagenet_top = tf_kernels_file(weights_path, model_name, "", top_md5),
                         .imagenet_notop = tf_kernels_file(weights_path, model_name, "_notop", notop_md5)},
                        common_options(options));
  auto x = layers::ZeroPadding2D({{3, 3}, {3, 3}}, {.name = "conv1_pad"})(app.input());
  x = layers::Conv2D(64, 7, {.strides = 2, .use_bias = true, .name = "conv1_conv"})(x);
  x = layers::ZeroPadding2D({{1, 1}, {1, 1}}, {.name = "pool1_pad"})(x);
  x = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .name = "pool1_pool"})(x);
  x = stack2(x, 64, blocks[0], 2, "conv2");
  x = stack2(x, 128, blocks[1], 2, "conv3");
  x = stack2(x, 256, blocks[2], 2, "conv4");
  x = stack2(x, 512, blocks[3], 1, "conv5");
  x = relu(bn(x, "post_bn"), "post_relu");
  return app.model(app.head(x));  // avg_pool + predictions; without the top avg_pool / max_pool
}

}  // namespace tl::applications::detail::resnet_v2

namespace tl::applications {

TL_INLINE Model ResNet50V2(const ResNetOptions& options) {
  return detail::resnet_v2::ResNetV2("resnet50v2", {3, 4, 6, 3}, "3ef43a0b657b3be2300d5770ece849e0",
                                     "fac2f116257151a9d068a22e544a4917", options);
}

TL_INLINE Model ResNet101V2(const ResNetOptions& options) {
  return detail::resnet_v2::ResNetV2("resnet101v2", {3, 4, 23, 3}, "6343647c601c52e1368623803854d971",
                                     "c0ed64b8031c3730f411d2eb4eea35b5", options);
}

TL_INLINE Model ResNet152V2(const ResNetOptions& options) {
  return detail::resnet_v2::ResNetV2("resnet152v2", {3, 8, 36, 3}, "a49b44d1979771252814e80f8ec446f9",
                                     "ed17cf2e0169df9d443503ef94b23b33", options);
}

namespace resnet_v2 {
TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "tf"}); }
TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}
}  // namespace resnet_v2

}  // namespace tl::applications
