#pragma once
// keras.applications.Xception: the graph of keras/applications/xception.py (tf.keras 2.11): separable
// convolutions, auto-named shortcut convolutions (conv2d..conv2d_3) and adds (add..add_11).
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

/// Keras's keyword arguments of Xception, with Keras's defaults.
struct XceptionOptions {
  bool include_top = true;  ///< end with Keras's classifier (the 1000 ImageNet classes by default)
  /// "imagenet" (Keras's pretrained weights, downloaded once into ~/.keras/models), "" or "none" (random),
  /// or the path to a Keras HDF5 weights file of the same architecture (loaded by layer order).
  std::string weights = "imagenet";
  KerasTensor input_tensor = {};  ///< optional: build on this tensor (e.g. from tl::Input) instead of a new Input
  /// Without the batch; empty: {299, 299, 3} with the top, {None, None, 3} without it;
  /// at least 71x71.
  Shape input_shape = {};
  std::string pooling = "";  ///< without the top: "" (4-D feature map), "avg" or "max" (2-D features)
  int64_t classes = 1000;
  std::string classifier_activation = "softmax";  ///< of the top's last layer; "" for logits
  std::string name = "";                          ///< default "xception"
};

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
