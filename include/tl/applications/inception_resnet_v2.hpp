#pragma once
// keras.applications.InceptionResNetV2: the graph of keras/applications/inception_resnet_v2.py (tf.keras
// 2.11): scale=False BatchNormalization, the scaled residual `Lambda` layers block35_1.. block8_10
// (tl::layers::ScaledResidual), conv_7b.
#include <tl/applications/application_options.hpp>
#include <tl/applications/imagenet_utils.hpp>
#include <tl/core/config.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/core/shape.hpp>
#include <tl/models/model.hpp>

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tl::applications {

/// Keras's keyword arguments of InceptionResNetV2: the common ones (ApplicationOptions), with Keras's defaults.
/// input_shape: empty gives {299, 299, 3} with the top, {None, None, 3} without it; at least
/// 75x75. name: default "inception_resnet_v2".
using InceptionResNetV2Options = ApplicationOptions;

/// `keras.applications.InceptionResNetV2`: Szegedy et al.'s Inception-ResNet v2.
/// Feed it images preprocessed by `inception_resnet_v2::preprocess_input`. Example:
///   auto base = tl::applications::InceptionResNetV2({.include_top = false, .pooling = "avg"});
Model InceptionResNetV2(const InceptionResNetV2Options& options = {});

/// Keras's module functions `keras.applications.inception_resnet_v2.preprocess_input` / `decode_predictions`.
namespace inception_resnet_v2 {

/// TensorFlow-style: pixels scaled to [-1, 1].
/// Example: `auto x = tl::applications::inception_resnet_v2::preprocess_input(images);  // (N, H, W, 3), values 0..255`
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace inception_resnet_v2

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/inception_resnet_v2-inl.hpp>
#endif
