#pragma once
// keras.applications.MobileNet (v1) as tf.keras 2.11 builds it (keras/applications/mobilenet.py), layer for layer
// and name for name, with Keras's ImageNet weights (16 files: alpha 1.0/0.75/0.5/0.25 × input 128/160/192/224).
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

/// Keras's keyword arguments of MobileNet, with Keras's defaults. The arguments every application has come
/// first, in the order of ResNetOptions; MobileNet's own follow.
struct MobileNetOptions {
  bool include_top = true;  ///< end with Keras's convolutional classifier (conv_preds)
  /// "imagenet" (Keras's weights for this alpha and input size, downloaded once into ~/.keras/models), "" or
  /// "none" (random), or the path to a Keras HDF5 weights file of the same architecture (loaded by layer order).
  std::string weights = "imagenet";
  KerasTensor input_tensor = {};  ///< optional: build on this tensor instead of a new Input
  /// Without the batch, e.g. {160, 160, 3}; empty: {224, 224, 3} with the top, {None, None, 3} without it.
  /// ImageNet weights exist for square inputs of 128, 160, 192 and 224 (other sizes load the 224 file).
  Shape input_shape = {};
  std::string pooling = "";  ///< without the top: "" (4-D feature map), "avg" or "max"
  int64_t classes = 1000;
  std::string classifier_activation = "softmax";  ///< of the top; "" for logits
  std::string name = "";                          ///< default "mobilenet_<alpha:.2f>_<rows>", e.g. "mobilenet_1.00_224"
  double alpha = 1.0;            ///< width multiplier: filters int(f·alpha); ImageNet weights for 1.0, 0.75, 0.5, 0.25
  int64_t depth_multiplier = 1;  ///< of the depthwise convolutions (ImageNet weights: 1)
  double dropout = 1e-3;         ///< before the classifier
};

/// `keras.applications.MobileNet`: Howard et al.'s MobileNet (v1), 13 depthwise-separable blocks with ReLU6.
/// Feed it images preprocessed by `mobilenet::preprocess_input` (to [-1, 1]).
/// Example: `auto base = tl::applications::MobileNet({.include_top = false, .input_shape = {160, 160, 3}, .alpha = 0.5});`
Model MobileNet(const MobileNetOptions& options = {});

/// Keras's module functions `keras.applications.mobilenet.preprocess_input` / `decode_predictions`.
namespace mobilenet {

/// "tf" preprocessing: pixel values in [0, 255] to [-1, 1] (x / 127.5 - 1).
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace mobilenet

namespace detail {
struct WeightsFile;
}  // namespace detail

namespace detail::mobilenet {
/// The ImageNet file Keras fetches: mobilenet_<1_0|7_5|5_0|2_5>_<rows>_tf[_no_top].h5 (no hash).
WeightsFile weights_file(double alpha, int64_t rows, bool include_top);
}  // namespace detail::mobilenet
}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/mobilenet-inl.hpp>
#endif
