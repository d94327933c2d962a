#pragma once
// keras.applications.DenseNet121 / DenseNet169 / DenseNet201: the graph of keras/applications/densenet.py
// (tf.keras 2.11). Layer names with '/' (conv1/conv, conv1/bn) are nested groups in weights files.
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

/// Keras's keyword arguments of DenseNet121 / DenseNet169 / DenseNet201: the common ones (ApplicationOptions), with Keras's defaults.
/// input_shape: empty gives {224, 224, 3} with the top,
/// {None, None, 3} without it. name: default "densenet121", "densenet169", "densenet201".
using DenseNetOptions = ApplicationOptions;

/// `keras.applications.DenseNet121`: Huang et al.'s DenseNet with blocks of 6, 12, 24 and 16 layers.
/// Feed it images preprocessed by `densenet::preprocess_input`. Example:
///   auto base = tl::applications::DenseNet121({.include_top = false, .pooling = "avg"});
Model DenseNet121(const DenseNetOptions& options = {});

/// `keras.applications.DenseNet169`: blocks of 6, 12, 32, 32; options as DenseNet121.
Model DenseNet169(const DenseNetOptions& options = {});

/// `keras.applications.DenseNet201`: blocks of 6, 12, 48, 32; options as DenseNet121.
Model DenseNet201(const DenseNetOptions& options = {});

/// Keras's module functions `keras.applications.densenet.preprocess_input` / `decode_predictions`.
namespace densenet {

/// Torch-style: pixels scaled to [0, 1], minus the ImageNet mean, over its standard deviation.
/// Example: `auto x = tl::applications::densenet::preprocess_input(images);  // (N, H, W, 3), values 0..255`
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace densenet

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/densenet-inl.hpp>
#endif
