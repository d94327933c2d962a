#pragma once
#include <tl/applications/densenet.hpp>
#include <tl/applications/detail/application.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/pooling.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <array>

// keras/applications/densenet.py, statement for statement.
namespace tl::applications::detail::densenet {

inline constexpr const char* weights_path = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/";
inline constexpr double bn_epsilon = 1.001e-5;

TL_INLINE KerasTensor bn_relu(const KerasTensor& x, const std::string& bn_name, const std::string& relu_name) {
  const auto y = layers::BatchNormalization({.axis = 3, .epsilon = bn_epsilon, .name = bn_name})(x);
  return layers::Activation("relu", {.name = relu_name})(y);
}

/// densenet.conv_block: BN-ReLU-1x1 (4·growth) - BN-ReLU-3x3 (growth), concatenated to the input.
TL_INLINE KerasTensor conv_block(const KerasTensor& x, int64_t growth_rate, const std::string& name) {
  auto x1 = bn_relu(x, name + "_0_bn", name + "_0_relu");
  x1 = layers::Conv2D(4 * growth_rate, 1, {.use_bias = false, .name = name + "_1_conv"})(x1);
  x1 = bn_relu(x1, name + "_1_bn", name + "_1_relu");
  x1 = layers::Conv2D(growth_rate, 3, {.padding = "same", .use_bias = false, .name = name + "_2_conv"})(x1);
  return layers::Concatenate({.axis = 3, .name = name + "_concat"})({x, x1});
}

TL_INLINE KerasTensor dense_block(KerasTensor x, int blocks, const std::string& name) {
  for (int i = 0; i < blocks; ++i) x = conv_block(x, 32, name + "_block" + std::to_string(i + 1));
  return x;
}

/// densenet.transition_block: BN-ReLU, a 1x1 convolution to int(C · reduction) channels, 2x2 average pooling.
TL_INLINE KerasTensor transition_block(const KerasTensor& x, double reduction, const std::string& name) {
  auto y = bn_relu(x, name + "_bn", name + "_relu");
  const auto filters = static_cast<int64_t>(static_cast<double>(y.shape().back()) * reduction);
  y = layers::Conv2D(filters, 1, {.use_bias = false, .name = name + "_conv"})(y);
  return layers::AveragePooling2D({.pool_size = 2, .strides = 2, .name = name + "_pool"})(y);
}

TL_INLINE Model DenseNet(const std::array<int, 4>& blocks, const std::string& model_name, const std::string& top_md5,
                         const std::string& notop_md5, const DenseNetOptions& options) {
  const Application app({.name = model_name,
                         .default_size = 224,
                         .min_size = 32,
                         .imagenet_top = tf_kernels_file(weights_path, model_name, "", top_md5),
                         .imagenet_notop = tf_kernels_file(weights_path, model_name, "_notop", notop_md5)},
                        common_options(options));
  auto x = layers::ZeroPadding2D({{3, 3}, {3, 3}})(app.input());
  x = layers::Conv2D(64, 7, {.strides = 2, .use_bias = false, .name = "conv1/conv"})(x);
  x = bn_relu(x, "conv1/bn", "conv1/relu");
  x = layers::ZeroPadding2D({{1, 1}, {1, 1}})(x);
  x = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .name = "pool1"})(x);
  x = dense_block(x, blocks[0], "conv2");
  x = transition_block(x, 0.5, "pool2");
  x = dense_block(x, blocks[1], "conv3");
  x = transition_block(x, 0.5, "pool3");
  x = dense_block(x, blocks[2], "conv4");
  x = transition_block(x, 0.5, "pool4");
  x = dense_block(x, blocks[3], "conv5");
  x = bn_relu(x, "bn", "relu");
  return app.model(app.head(x));  // avg_pool + predictions; without the top avg_pool / max_pool
}

}  // namespace tl::applications::detail::densenet

namespace tl::applications {

TL_INLINE Model DenseNet121(const DenseNetOptions& options) {
  return detail::densenet::DenseNet({6, 12, 24, 16}, "densenet121", "9d60b8095a5708f2dcce2bca79d332c7",
                                    "30ee3e1110167f948a6b9946edeeb738", options);
}

TL_INLINE Model DenseNet169(const DenseNetOptions& options) {
  return detail::densenet::DenseNet({6, 12, 32, 32}, "densenet169", "d699b8f76981ab1b30698df4c175e90b",
                                    "b8c4d4c20dd625c148057b9ff1c1176b", options);
}

TL_INLINE Model DenseNet201(const DenseNetOptions& options) {
  return detail::densenet::DenseNet({6, 12, 48, 32}, "densenet201", "1ceb130c1ea1b78c3bf6114dbdfd8807",
                                    "c13680b51ded0fb44dff2d8f86ac8bb1", options);
}

namespace densenet {
TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "torch"}); }
TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}
}  // namespace densenet

}  // namespace tl::applications
