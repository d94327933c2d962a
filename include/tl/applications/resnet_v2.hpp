#pragma once
// keras.applications.ResNet50V2 / ResNet101V2 / ResNet152V2: resnet_common.py's ResNet v2 (pre-activation
// blocks, the stride on each stack's last block, 'post_bn' before the head), layer for layer and name for name.
#include <tl/applications/imagenet_utils.hpp>
#include <tl/applications/resnet.hpp>
#include <tl/core/config.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/core/shape.hpp>
#include <tl/models/model.hpp>

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tl::applications {

/// `keras.applications.ResNet50V2`: He et al.'s pre-activation ResNet with 50 layers.
/// Feed it images preprocessed by `resnet_v2::preprocess_input`. Example:
///   auto base = tl::applications::ResNet50V2({.include_top = false, .pooling = "avg"});
Model ResNet50V2(const ResNetOptions& options = {});

/// `keras.applications.ResNet101V2`: options as ResNet50V2.
Model ResNet101V2(const ResNetOptions& options = {});

/// `keras.applications.ResNet152V2`: options as ResNet50V2.
Model ResNet152V2(const ResNetOptions& options = {});

/// Keras's module functions `keras.applications.resnet_v2.preprocess_input` / `decode_predictions`.
namespace resnet_v2 {

/// TensorFlow-style: pixels scaled to [-1, 1].
/// Example: `auto x = tl::applications::resnet_v2::preprocess_input(images);  // (N, H, W, 3), values 0..255`
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace resnet_v2

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/resnet_v2-inl.hpp>
#endif
