#pragma once
// keras.applications.NASNetMobile / NASNetLarge: the graph of keras/applications/nasnet.py (tf.keras 2.11),
// cells built inside Keras's name scopes (weights named `normal_A_block_0/block_1/.../depthwise_kernel:0`).
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

/// Keras's keyword arguments of NASNetMobile / NASNetLarge: the common ones (ApplicationOptions), with Keras's defaults.
/// input_shape: empty gives the default size ({224, 224, 3} Mobile,
/// {331, 331, 3} Large) with the top, and also without it when weights = "imagenet" (tl's one divergence from
/// tf.keras 2.11, whose (None, None, 3) default cannot load the no-top ImageNet file: docs/applications.md);
/// {None, None, 3} without the top otherwise. At least 32x32. name: default "NASNet".
using NASNetOptions = ApplicationOptions;

/// `keras.applications.NASNetMobile`: Zoph et al.'s NASNet-A (4 @ 1056), for 224x224 inputs.
/// Feed it images preprocessed by `nasnet::preprocess_input`. Example:
///   auto base = tl::applications::NASNetMobile({.include_top = false, .pooling = "avg"});
Model NASNetMobile(const NASNetOptions& options = {});

/// `keras.applications.NASNetLarge`: NASNet-A (6 @ 4032), for 331x331 inputs; options as NASNetMobile.
Model NASNetLarge(const NASNetOptions& options = {});

/// Keras's module functions `keras.applications.nasnet.preprocess_input` / `decode_predictions`.
namespace nasnet {

/// TensorFlow-style: pixels scaled to [-1, 1].
/// Example: `auto x = tl::applications::nasnet::preprocess_input(images);  // (N, H, W, 3), values 0..255`
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace nasnet

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/nasnet-inl.hpp>
#endif
