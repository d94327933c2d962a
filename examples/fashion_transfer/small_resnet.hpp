#pragma once
// The demo's network: a small ResNet v1 for 28x28 grayscale images, built with tl's functional API the way
// keras.applications builds ResNet50 (conv + BN + ReLU, residual blocks joined by Add): ~210k parameters and
// ~10 MFLOPs per image, so that pretraining and all the few-shot runs fit in minutes on two cores.
#include <tl/tl.hpp>

#include <string>

namespace fashion_transfer {

inline tl::KerasTensor conv_bn(const tl::KerasTensor& x, int64_t filters, int64_t kernel, int64_t stride,
                               const std::string& name) {
  auto y = tl::layers::Conv2D(filters, kernel,
                              {.strides = stride, .padding = "same", .use_bias = false, .name = name + "_conv"})(x);
  // momentum 0.9 (torch's 0.1): the moving statistics must follow a few dozen few-shot steps, not hundreds.
  return tl::layers::BatchNormalization({.momentum = 0.9, .name = name + "_bn"})(y);
}

/// A basic residual block (two 3x3 convolutions); the shortcut is projected when the shape changes.
inline tl::KerasTensor residual_block(const tl::KerasTensor& x, int64_t filters, int64_t stride, const std::string& name) {
  const bool project = stride != 1 || x.shape().back() != filters;
  const auto shortcut = project ? conv_bn(x, filters, 1, stride, name + "_0") : x;
  auto y = conv_bn(x, filters, 3, stride, name + "_1");
  y = tl::layers::Activation("relu", {.name = name + "_1_relu"})(y);
  y = conv_bn(y, filters, 3, 1, name + "_2");
  y = tl::layers::Add({.name = name + "_add"})({shortcut, y});
  return tl::layers::Activation("relu", {.name = name + "_out"})(y);
}

/// The feature extractor: 28x28x1 images (values in [0, 1]) to 128 features. Every call builds fresh weights.
inline tl::Model small_resnet_base(const std::string& name = "fashion_base") {
  const auto inputs = tl::Input({28, 28, 1});
  auto x = conv_bn(inputs, 16, 3, 1, "stem");
  x = tl::layers::Activation("relu", {.name = "stem_relu"})(x);
  x = tl::layers::MaxPooling2D({.pool_size = 2, .name = "stem_pool"})(x);  // 14x14
  x = residual_block(x, 16, 1, "block1");
  x = residual_block(x, 32, 2, "block2");  // 7x7
  // 128 features (not 64): a frozen base needs a wide last stage to carry features the source classes did not need.
  x = residual_block(x, 128, 2, "block3");  // 4x4
  x = tl::layers::GlobalAveragePooling2D({.name = "avg_pool"})(x);
  return tl::Model(inputs, x, name);
}

/// `base` followed by a new softmax classifier named `head`: the Keras guide's transfer-learning model.
inline tl::Model classifier(const tl::Model& base, int64_t classes, const std::string& head) {
  const auto inputs = tl::Input({28, 28, 1});
  const auto features = base(inputs);
  const auto outputs = tl::layers::Dense(classes, {.activation = "softmax", .name = head})(features);
  return tl::Model(inputs, outputs, head + "_model");
}

}  // namespace fashion_transfer
