#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/inception_v3.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/pooling.hpp>

// keras/applications/inception_v3.py, statement for statement: every layer is created (and auto-named) in the
// order Keras's code creates it, so conv2d_17 is Keras's conv2d_17.
namespace tl::applications::detail::inception_v3 {

inline constexpr const char* weights_path =
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/";

/// inception_v3.conv2d_bn: Conv2D (no bias) + BatchNormalization(scale=False) + ReLU, auto-named.
TL_INLINE KerasTensor conv2d_bn(const KerasTensor& x, int64_t filters, int64_t rows, int64_t cols, int64_t strides = 1,
                                const std::string& padding = "same") {
  auto y = layers::Conv2D(filters, {rows, cols}, {.strides = strides, .padding = padding, .use_bias = false})(x);
  y = layers::BatchNormalization({.axis = 3, .scale = false})(y);
  return layers::Activation("relu")(y);
}

TL_INLINE KerasTensor avg_pool_3x3(const KerasTensor& x) {
  return layers::AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same"})(x);
}

TL_INLINE KerasTensor max_pool_3x3_s2(const KerasTensor& x) {
  return layers::MaxPooling2D({.pool_size = 3, .strides = 2})(x);
}

TL_INLINE KerasTensor concat(const std::vector<KerasTensor>& branches, const std::string& name) {
  return layers::concatenate(branches, {.axis = 3, .name = name});
}

/// mixed0..mixed2 (35x35): 1x1, 5x5, double 3x3 and pooled branches.
TL_INLINE KerasTensor block_35(const KerasTensor& x, int64_t pool_filters, const std::string& name) {
  const auto branch1x1 = conv2d_bn(x, 64, 1, 1);
  auto branch5x5 = conv2d_bn(x, 48, 1, 1);
  branch5x5 = conv2d_bn(branch5x5, 64, 5, 5);
  auto branch3x3dbl = conv2d_bn(x, 64, 1, 1);
  branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3);
  branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3);
  const auto branch_pool = conv2d_bn(avg_pool_3x3(x), pool_filters, 1, 1);
  return concat({branch1x1, branch5x5, branch3x3dbl, branch_pool}, name);
}

/// mixed4..mixed7 (17x17): factorized 7x7 branches with `c` inner filters.
TL_INLINE KerasTensor block_17(const KerasTensor& x, int64_t c, const std::string& name) {
  const auto branch1x1 = conv2d_bn(x, 192, 1, 1);
  auto branch7x7 = conv2d_bn(x, c, 1, 1);
  branch7x7 = conv2d_bn(branch7x7, c, 1, 7);
  branch7x7 = conv2d_bn(branch7x7, 192, 7, 1);
  auto branch7x7dbl = conv2d_bn(x, c, 1, 1);
  branch7x7dbl = conv2d_bn(branch7x7dbl, c, 7, 1);
  branch7x7dbl = conv2d_bn(branch7x7dbl, c, 1, 7);
  branch7x7dbl = conv2d_bn(branch7x7dbl, c, 7, 1);
  branch7x7dbl = conv2d_bn(branch7x7dbl, 192, 1, 7);
  const auto branch_pool = conv2d_bn(avg_pool_3x3(x), 192, 1, 1);
  return concat({branch1x1, branch7x7, branch7x7dbl, branch_pool}, name);
}

/// mixed9, mixed10 (8x8): expanded filter banks, i = 0, 1.
TL_INLINE KerasTensor block_8(const KerasTensor& x, int i) {
  const auto branch1x1 = conv2d_bn(x, 320, 1, 1);
  auto branch3x3 = conv2d_bn(x, 384, 1, 1);
  const auto branch3x3_1 = conv2d_bn(branch3x3, 384, 1, 3);
  const auto branch3x3_2 = conv2d_bn(branch3x3, 384, 3, 1);
  branch3x3 = concat({branch3x3_1, branch3x3_2}, "mixed9_" + std::to_string(i));
  auto branch3x3dbl = conv2d_bn(x, 448, 1, 1);
  branch3x3dbl = conv2d_bn(branch3x3dbl, 384, 3, 3);
  const auto branch3x3dbl_1 = conv2d_bn(branch3x3dbl, 384, 1, 3);
  const auto branch3x3dbl_2 = conv2d_bn(branch3x3dbl, 384, 3, 1);
  branch3x3dbl = concat({branch3x3dbl_1, branch3x3dbl_2}, "");  // auto-named: concatenate, concatenate_1
  const auto branch_pool = conv2d_bn(avg_pool_3x3(x), 192, 1, 1);
  return concat({branch1x1, branch3x3, branch3x3dbl, branch_pool}, "mixed" + std::to_string(9 + i));
}

TL_INLINE KerasTensor body(const KerasTensor& input) {
  auto x = conv2d_bn(input, 32, 3, 3, 2, "valid");
  x = conv2d_bn(x, 32, 3, 3, 1, "valid");
  x = conv2d_bn(x, 64, 3, 3);
  x = max_pool_3x3_s2(x);
  x = conv2d_bn(x, 80, 1, 1, 1, "valid");
  x = conv2d_bn(x, 192, 3, 3, 1, "valid");
  x = max_pool_3x3_s2(x);

  x = block_35(x, 32, "mixed0");
  x = block_35(x, 64, "mixed1");
  x = block_35(x, 64, "mixed2");

  {  // mixed3: 35x35 -> 17x17
    const auto branch3x3 = conv2d_bn(x, 384, 3, 3, 2, "valid");
    auto branch3x3dbl = conv2d_bn(x, 64, 1, 1);
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3);
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, 2, "valid");
    const auto branch_pool = max_pool_3x3_s2(x);
    x = concat({branch3x3, branch3x3dbl, branch_pool}, "mixed3");
  }

  x = block_17(x, 128, "mixed4");
  for (int i = 0; i < 2; ++i) x = block_17(x, 160, "mixed" + std::to_string(5 + i));
  x = block_17(x, 192, "mixed7");

  {  // mixed8: 17x17 -> 8x8
    auto branch3x3 = conv2d_bn(x, 192, 1, 1);
    branch3x3 = conv2d_bn(branch3x3, 320, 3, 3, 2, "valid");
    auto branch7x7x3 = conv2d_bn(x, 192, 1, 1);
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 1, 7);
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 7, 1);
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, 2, "valid");
    const auto branch_pool = max_pool_3x3_s2(x);
    x = concat({branch3x3, branch7x7x3, branch_pool}, "mixed8");
  }

  for (int i = 0; i < 2; ++i) x = block_8(x, i);
  return x;
}

}  // namespace tl::applications::detail::inception_v3

namespace tl::applications {

TL_INLINE Model InceptionV3(const InceptionV3Options& options) {
  using detail::inception_v3::weights_path;
  const detail::Application app(
      {.name = "inception_v3",
       .default_size = 299,
       .min_size = 75,
       .imagenet_top = detail::tf_kernels_file(weights_path, "inception_v3", "", "9a0d58056eeedaa3f26cb7ebd46da564"),
       .imagenet_notop =
           detail::tf_kernels_file(weights_path, "inception_v3", "_notop", "bcbd6486424b2319ff4ef7d526e38f63")},
      detail::common_options(options));
  // avg_pool + predictions; without the top, auto-named global pooling.
  return app.model(app.head(detail::inception_v3::body(app.input()), {}, {.avg = "", .max = ""}));
}

namespace inception_v3 {
TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "tf"}); }
TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}
}  // namespace inception_v3

}  // namespace tl::applications
