#pragma once
// keras.applications.ResNet50 / ResNet101 / ResNet152: the graph of keras_applications/resnet_common.py (ResNet
// v1, stride on each stack's first 1x1 conv), layer for layer and name for name, with Keras's ImageNet weights.
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

/// Keras's keyword arguments of ResNet50/101/152: the common ones (ApplicationOptions), with Keras's defaults.
/// input_shape: empty gives {224, 224, 3} with the top, {None, None, 3} without it;
/// at least 32x32. name: default "resnet50", "resnet101", "resnet152".
using ResNetOptions = ApplicationOptions;

/// `keras.applications.ResNet50`: He et al.'s 50-layer ResNet (v1) exactly as Keras builds it, optionally with
/// Keras's ImageNet weights. Feed it images preprocessed by `resnet50::preprocess_input`.
/// Example (the transfer-learning base):
///   auto base = tl::applications::ResNet50({.include_top = false, .input_shape = {224, 224, 3}});
///   base.trainable(false);
Model ResNet50(const ResNetOptions& options = {});

/// `keras.applications.ResNet101`; options as ResNet50.
Model ResNet101(const ResNetOptions& options = {});

/// `keras.applications.ResNet152`; options as ResNet50.
Model ResNet152(const ResNetOptions& options = {});

/// Keras's module functions `keras.applications.resnet50.preprocess_input` / `decode_predictions`.
namespace resnet50 {

/// Caffe-style preprocessing, as the ImageNet weights expect: RGB->BGR, minus the ImageNet mean, no scaling.
/// Example: `auto x = tl::applications::resnet50::preprocess_input(images);  // (N, 224, 224, 3), values 0..255`
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace resnet50

/// `keras.applications.resnet`: the same functions, for ResNet101 and ResNet152.
namespace resnet {
using resnet50::decode_predictions;
using resnet50::preprocess_input;
}  // namespace resnet

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/resnet-inl.hpp>
#endif
