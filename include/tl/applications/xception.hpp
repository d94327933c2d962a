#pragma once
// keras.applications.Xception: the graph of keras/applications/xception.py (tf.keras 2.11): separable
// convolutions, auto-named shortcut convolutions (conv2d..conv2d_3) and adds (add..add_11).
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

/// Keras's keyword arguments of Xception: the common ones (ApplicationOptions), with Keras's defaults.
/// input_shape: empty gives {299, 299, 3} with the top, {None, None, 3} without it; at least 71x71.
/// name: default "xception".
using XceptionOptions = ApplicationOptions;

/// `keras.applications.Xception`: Chollet's Xception.
/// Feed it images preprocessed by `xception::preprocess_input`. Example:
///   auto base = tl::applications::Xception({.include_top = false, .input_shape = {299, 299, 3}});
Model Xception(const XceptionOptions& options = {});

/// Keras's module functions `keras.applications.xception.preprocess_input` / `decode_predictions`.
namespace xception {

/// TensorFlow-style: pixels scaled to [-1, 1].
/// Example: `auto x = tl::applications::xception::preprocess_input(images);  // (N, H, W, 3), values 0..255`
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace xception

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/xception-inl.hpp>
#endif
