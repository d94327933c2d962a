#pragma once
// keras.applications.VGG16 / VGG19: the graphs of keras/applications/vgg16.py and vgg19.py (tf.keras
// 2.11), layer for layer and name for name, with Keras's ImageNet weights.
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

/// Keras's keyword arguments of VGG16 / VGG19: the common ones (ApplicationOptions), with Keras's defaults.
/// input_shape: empty gives {224, 224, 3} with the top, {None, None, 3} without it; with weights "none"
/// (or a file) the top accepts any static size of at least 32x32, as Keras does. name: default "vgg16", "vgg19".
using VGGOptions = ApplicationOptions;

/// `keras.applications.VGG16`: Simonyan and Zisserman's 16-layer VGG (13 convolutions, 3 dense layers).
/// Feed it images preprocessed by `vgg16::preprocess_input`. Example:
///   auto base = tl::applications::VGG16({.include_top = false, .input_shape = {224, 224, 3}});
Model VGG16(const VGGOptions& options = {});

/// `keras.applications.VGG19`: the 19-layer VGG; options as VGG16.
Model VGG19(const VGGOptions& options = {});

/// Keras's module functions `keras.applications.vgg16.preprocess_input` / `decode_predictions`.
namespace vgg16 {

/// Caffe-style: RGB->BGR, minus the ImageNet mean, no scaling.
/// Example: `auto x = tl::applications::vgg16::preprocess_input(images);  // (N, H, W, 3), values 0..255`
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace vgg16

/// `keras.applications.vgg19`: the same functions as vgg16's (caffe-style preprocessing).
namespace vgg19 {
using vgg16::decode_predictions;
using vgg16::preprocess_input;
}  // namespace vgg19

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/vgg-inl.hpp>
#endif
