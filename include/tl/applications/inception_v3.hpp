#pragma once
// keras.applications.InceptionV3: the graph of keras/applications/inception_v3.py (tf.keras 2.11): auto-named
// conv2d/batch_normalization/activation triples (BatchNormalization without gamma, scale=False), branches
// concatenated as mixed0..mixed10, model.layers in Keras's order (the branches interleave).
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

/// Keras's keyword arguments of InceptionV3: the common ones (ApplicationOptions), with Keras's defaults.
/// input_shape: empty gives {299, 299, 3} with the top, {None, None, 3} without it; at least 75x75.
/// name: default "inception_v3".
using InceptionV3Options = ApplicationOptions;

/// `keras.applications.InceptionV3`: Szegedy et al.'s Inception v3.
/// Feed it images preprocessed by `inception_v3::preprocess_input`. Example:
///   auto base = tl::applications::InceptionV3({.include_top = false, .input_shape = {299, 299, 3}});
Model InceptionV3(const InceptionV3Options& options = {});

/// Keras's module functions `keras.applications.inception_v3.preprocess_input` / `decode_predictions`.
namespace inception_v3 {

/// TensorFlow-style: pixels scaled to [-1, 1].
/// Example: `auto x = tl::applications::inception_v3::preprocess_input(images);  // (N, H, W, 3), values 0..255`
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace inception_v3

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/inception_v3-inl.hpp>
#endif
