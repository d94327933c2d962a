#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/resnet.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/pooling.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <array>

// Keras's resnet_common.py. Each family keeps its graph helpers in a namespace named after its Keras module:
// src/applications.cpp (and a header-only user's translation unit) holds every family's, and conv_bn or block1
// must not meet another family's.
namespace tl::applications::detail::resnet_common {

/// An architecture of the family: its Keras name, blocks per stack (conv2..conv5) and ImageNet file hashes.
struct ResNetSpec {
  std::string model_name;
  std::array<int, 4> blocks;
  std::string top_md5, notop_md5;  ///< resnet_common.py's WEIGHTS_HASHES
};

inline constexpr const char* resnet_weights_path = "https://github.com/keras-team/keras-applications/releases/download/resnet/";
inline constexpr double resnet_bn_epsilon = 1.001e-5;  // resnet_common.py's

TL_INLINE KerasTensor conv_bn(const KerasTensor& x, int64_t filters, int64_t kernel, int64_t stride, const std::string& name) {
  auto y = layers::Conv2D(filters, kernel, {.strides = stride, .padding = kernel > 1 ? "same" : "valid", .name = name + "_conv"})(x);
  return layers::BatchNormalization({.axis = 3, .epsilon = resnet_bn_epsilon, .name = name + "_bn"})(y);
}

/// resnet_common.block1: a bottleneck block; the projection shortcut (`_0_conv`) only when `conv_shortcut`.
TL_INLINE KerasTensor block1(const KerasTensor& x, int64_t filters, int64_t stride, bool conv_shortcut,
                             const std::string& name) {
  const auto shortcut = conv_shortcut ? conv_bn(x, 4 * filters, 1, stride, name + "_0") : x;
  auto y = conv_bn(x, filters, 1, stride, name + "_1");
  y = layers::Activation("relu", {.name = name + "_1_relu"})(y);
  y = conv_bn(y, filters, 3, 1, name + "_2");
  y = layers::Activation("relu", {.name = name + "_2_relu"})(y);
  y = conv_bn(y, 4 * filters, 1, 1, name + "_3");
  y = layers::Add({.name = name + "_add"})({shortcut, y});
  return layers::Activation("relu", {.name = name + "_out"})(y);
}

/// resnet_common.stack1: `blocks` blocks, the first one projecting (and striding by `stride1`).
TL_INLINE KerasTensor stack1(KerasTensor x, int64_t filters, int blocks, int64_t stride1, const std::string& name) {
  x = block1(x, filters, stride1, true, name + "_block1");
  for (int i = 2; i <= blocks; ++i) x = block1(x, filters, 1, false, name + "_block" + std::to_string(i));
  return x;
}

/// conv1 and pool1, then the four stacks: the network without its top.
TL_INLINE KerasTensor resnet_body(const KerasTensor& input, const std::array<int, 4>& blocks) {
  auto x = layers::ZeroPadding2D({{3, 3}, {3, 3}}, {.name = "conv1_pad"})(input);
  x = layers::Conv2D(64, 7, {.strides = 2, .name = "conv1_conv"})(x);
  x = layers::BatchNormalization({.axis = 3, .epsilon = resnet_bn_epsilon, .name = "conv1_bn"})(x);
  x = layers::Activation("relu", {.name = "conv1_relu"})(x);
  x = layers::ZeroPadding2D({{1, 1}, {1, 1}}, {.name = "pool1_pad"})(x);
  x = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .name = "pool1_pool"})(x);
  x = stack1(x, 64, blocks[0], 1, "conv2");
  x = stack1(x, 128, blocks[1], 2, "conv3");
  x = stack1(x, 256, blocks[2], 2, "conv4");
  return stack1(x, 512, blocks[3], 2, "conv5");
}

/// resnet_common.ResNet: validates, builds the graph, loads the weights.
TL_INLINE Model ResNet(const ResNetSpec& spec, const ResNetOptions& options) {
  const auto file = [&](const std::string& suffix, const std::string& md5) {
    const std::string fname = spec.model_name + suffix;
    return WeightsFile{fname, resnet_weights_path + fname, md5};
  };
  const Application app({.name = spec.model_name,
                         .default_size = 224,
                         .min_size = 32,
                         .imagenet_top = file("_weights_tf_dim_ordering_tf_kernels.h5", spec.top_md5),
                         .imagenet_notop = file("_weights_tf_dim_ordering_tf_kernels_notop.h5", spec.notop_md5)},
                        common_options(options));
  // The top: GlobalAveragePooling2D "avg_pool" + Dense "predictions"; without it, "avg_pool" / "max_pool".
  return app.model(app.head(resnet_body(app.input(), spec.blocks)));
}

}  // namespace tl::applications::detail::resnet_common

namespace tl::applications {

TL_INLINE Model ResNet50(const ResNetOptions& options) {
  return detail::resnet_common::ResNet({"resnet50", {3, 4, 6, 3}, "2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"},
                        options);
}

TL_INLINE Model ResNet101(const ResNetOptions& options) {
  return detail::resnet_common::ResNet({"resnet101", {3, 4, 23, 3}, "f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"},
                        options);
}

TL_INLINE Model ResNet152(const ResNetOptions& options) {
  return detail::resnet_common::ResNet({"resnet152", {3, 8, 36, 3}, "100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"},
                        options);
}

namespace resnet50 {

TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "caffe"}); }

TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}

}  // namespace resnet50
}  // namespace tl::applications
