#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/inception_resnet_v2.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/lambda.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/pooling.hpp>

// keras/applications/inception_resnet_v2.py, statement for statement (layers are auto-named in creation order).
namespace tl::applications::detail::inception_resnet_v2 {

inline constexpr const char* weights_path =
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/";

/// inception_resnet_v2.conv2d_bn: Conv2D, BatchNormalization(scale=False) unless the conv has a bias, activation
/// unless "" (None); named `name`, `name_bn`, `name_ac` when a name is given, else auto-named.
TL_INLINE KerasTensor conv2d_bn(const KerasTensor& x, int64_t filters, layers::Size2 kernel_size, int64_t strides = 1,
                                const std::string& padding = "same", const std::string& activation = "relu",
                                bool use_bias = false, const std::string& name = "") {
  auto y = layers::Conv2D(filters, kernel_size,
                          {.strides = strides, .padding = padding, .use_bias = use_bias, .name = name})(x);
  if (!use_bias) y = layers::BatchNormalization({.axis = 3, .scale = false, .name = name.empty() ? "" : name + "_bn"})(y);
  if (!activation.empty()) y = layers::Activation(activation, {.name = name.empty() ? "" : name + "_ac"})(y);
  return y;
}

/// inception_resnet_block: branches -> `{block}_{i}_mixed` -> 1x1 `{block}_{i}_conv` (bias, no BN) -> the scaled
/// residual Lambda `{block}_{i}` (x + up * scale) -> ReLU `{block}_{i}_ac` unless `activation` is "".
TL_INLINE KerasTensor inception_resnet_block(const KerasTensor& x, double scale, const std::string& block_type,
                                             int block_idx, const std::string& activation = "relu") {
  std::vector<KerasTensor> branches;
  if (block_type == "block35") {
    const auto branch_0 = conv2d_bn(x, 32, 1);
    auto branch_1 = conv2d_bn(x, 32, 1);
    branch_1 = conv2d_bn(branch_1, 32, 3);
    auto branch_2 = conv2d_bn(x, 32, 1);
    branch_2 = conv2d_bn(branch_2, 48, 3);
    branch_2 = conv2d_bn(branch_2, 64, 3);
    branches = {branch_0, branch_1, branch_2};
  } else if (block_type == "block17") {
    const auto branch_0 = conv2d_bn(x, 192, 1);
    auto branch_1 = conv2d_bn(x, 128, 1);
    branch_1 = conv2d_bn(branch_1, 160, {1, 7});
    branch_1 = conv2d_bn(branch_1, 192, {7, 1});
    branches = {branch_0, branch_1};
  } else if (block_type == "block8") {
    const auto branch_0 = conv2d_bn(x, 192, 1);
    auto branch_1 = conv2d_bn(x, 192, 1);
    branch_1 = conv2d_bn(branch_1, 224, {1, 3});
    branch_1 = conv2d_bn(branch_1, 256, {3, 1});
    branches = {branch_0, branch_1};
  } else {
    throw ValueError("Unknown Inception-ResNet block type. Expects \"block35\", \"block17\" or \"block8\", but got: " +
                     block_type);
  }
  const auto block_name = block_type + "_" + std::to_string(block_idx);
  const auto mixed = layers::Concatenate({.axis = 3, .name = block_name + "_mixed"})(branches);
  const Shape shape = x.shape();
  const auto up = conv2d_bn(mixed, shape.back(), 1, 1, "same", "", true, block_name + "_conv");
  auto y = layers::ScaledResidual(scale, {.output_shape = Shape(shape.begin() + 1, shape.end()), .name = block_name})({x, up});
  if (!activation.empty()) y = layers::Activation(activation, {.name = block_name + "_ac"})(y);
  return y;
}

TL_INLINE KerasTensor body(const KerasTensor& input) {
  // Stem
  auto x = conv2d_bn(input, 32, 3, 2, "valid");
  x = conv2d_bn(x, 32, 3, 1, "valid");
  x = conv2d_bn(x, 64, 3);
  x = layers::MaxPooling2D({.pool_size = 3, .strides = 2})(x);
  x = conv2d_bn(x, 80, 1, 1, "valid");
  x = conv2d_bn(x, 192, 3, 1, "valid");
  x = layers::MaxPooling2D({.pool_size = 3, .strides = 2})(x);

  {  // mixed_5b (Inception-A)
    const auto branch_0 = conv2d_bn(x, 96, 1);
    auto branch_1 = conv2d_bn(x, 48, 1);
    branch_1 = conv2d_bn(branch_1, 64, 5);
    auto branch_2 = conv2d_bn(x, 64, 1);
    branch_2 = conv2d_bn(branch_2, 96, 3);
    branch_2 = conv2d_bn(branch_2, 96, 3);
    auto branch_pool = layers::AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same"})(x);
    branch_pool = conv2d_bn(branch_pool, 64, 1);
    x = layers::Concatenate({.axis = 3, .name = "mixed_5b"})({branch_0, branch_1, branch_2, branch_pool});
  }
  for (int block_idx = 1; block_idx <= 10; ++block_idx) x = inception_resnet_block(x, 0.17, "block35", block_idx);

  {  // mixed_6a (Reduction-A)
    const auto branch_0 = conv2d_bn(x, 384, 3, 2, "valid");
    auto branch_1 = conv2d_bn(x, 256, 1);
    branch_1 = conv2d_bn(branch_1, 256, 3);
    branch_1 = conv2d_bn(branch_1, 384, 3, 2, "valid");
    const auto branch_pool = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "valid"})(x);
    x = layers::Concatenate({.axis = 3, .name = "mixed_6a"})({branch_0, branch_1, branch_pool});
  }
  for (int block_idx = 1; block_idx <= 20; ++block_idx) x = inception_resnet_block(x, 0.1, "block17", block_idx);

  {  // mixed_7a (Reduction-B)
    auto branch_0 = conv2d_bn(x, 256, 1);
    branch_0 = conv2d_bn(branch_0, 384, 3, 2, "valid");
    auto branch_1 = conv2d_bn(x, 256, 1);
    branch_1 = conv2d_bn(branch_1, 288, 3, 2, "valid");
    auto branch_2 = conv2d_bn(x, 256, 1);
    branch_2 = conv2d_bn(branch_2, 288, 3);
    branch_2 = conv2d_bn(branch_2, 320, 3, 2, "valid");
    const auto branch_pool = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "valid"})(x);
    x = layers::Concatenate({.axis = 3, .name = "mixed_7a"})({branch_0, branch_1, branch_2, branch_pool});
  }
  for (int block_idx = 1; block_idx <= 9; ++block_idx) x = inception_resnet_block(x, 0.2, "block8", block_idx);
  x = inception_resnet_block(x, 1.0, "block8", 10, /*activation=*/"");

  return conv2d_bn(x, 1536, 1, 1, "same", "relu", false, "conv_7b");
}

}  // namespace tl::applications::detail::inception_resnet_v2

namespace tl::applications {

TL_INLINE Model InceptionResNetV2(const InceptionResNetV2Options& options) {
  using detail::inception_resnet_v2::weights_path;
  const detail::Application app(
      {.name = "inception_resnet_v2",
       .default_size = 299,
       .min_size = 75,
       .imagenet_top =
           detail::tf_kernels_file(weights_path, "inception_resnet_v2", "", "e693bd0210a403b3192acc6073ad2e96"),
       .imagenet_notop =
           detail::tf_kernels_file(weights_path, "inception_resnet_v2", "_notop", "d19885ff4a710c122648d3b5c3b684e4")},
      detail::common_options(options));
  return app.model(app.head(detail::inception_resnet_v2::body(app.input()), {}, {.avg = "", .max = ""}));
}

namespace inception_resnet_v2 {
TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "tf"}); }
TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}
}  // namespace inception_resnet_v2

}  // namespace tl::applications
