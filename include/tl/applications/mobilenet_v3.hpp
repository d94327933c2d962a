#pragma once
// keras.applications.MobileNetV3Small / MobileNetV3Large as tf.keras 2.11 builds them
// (keras/applications/mobilenet_v3.py), layer for layer and name for name — hard_sigmoid's `x + 3.0` and
// `* (1/6)` are TFOpLambda layers as in Keras — with Keras's ImageNet weights.
#include <tl/applications/imagenet_utils.hpp>
#include <tl/core/config.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/core/shape.hpp>
#include <tl/models/model.hpp>

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tl::applications {

/// Keras's keyword arguments of MobileNetV3Small/Large, with Keras's defaults (the common ones in ResNetOptions'
/// order, then MobileNetV3's own).
struct MobileNetV3Options {
  bool include_top = true;  ///< end with Conv_2, Logits (1x1 convolutions) and Predictions
  /// "imagenet" (Keras's 224 weights, downloaded once into ~/.keras/models), "" or "none" (random), or the path
  /// to a Keras HDF5 weights file of the same architecture (loaded by layer order).
  std::string weights = "imagenet";
  KerasTensor input_tensor = {};  ///< optional: build on this tensor instead of a new Input
  /// Without the batch; empty: {None, None, 3}, with or without the top (MobileNetV3 has no default size).
  /// At least 32x32.
  Shape input_shape = {};
  std::string pooling = "";  ///< without the top: "" (4-D feature map), "avg" or "max"
  int64_t classes = 1000;
  std::string classifier_activation = "softmax";  ///< of the top; "" for logits
  std::string name = "";                          ///< default "MobilenetV3small" / "MobilenetV3large"
  /// Width multiplier (filters _depth(f·alpha)); ImageNet weights for 0.75 and 1.0 (minimalistic: 1.0).
  double alpha = 1.0;
  bool minimalistic = false;  ///< 3x3 kernels, ReLU, no squeeze-and-excite (no hard-swish)
  double dropout_rate = 0.2;  ///< before the Logits convolution (none at 0)
  /// Start with Rescaling(1/127.5, offset=-1): the model takes pixels in [0, 255]. False: inputs in [-1, 1].
  bool include_preprocessing = true;
};

/// `keras.applications.MobileNetV3Small`: Howard et al.'s MobileNetV3 (small). It rescales its input itself
/// (pixels in [0, 255]): `mobilenet_v3::preprocess_input` returns images unchanged.
/// Example: `auto base = tl::applications::MobileNetV3Small({.include_top = false, .pooling = "avg"});`
Model MobileNetV3Small(const MobileNetV3Options& options = {});

/// `keras.applications.MobileNetV3Large`; options as MobileNetV3Small.
Model MobileNetV3Large(const MobileNetV3Options& options = {});

/// Keras's module functions `keras.applications.mobilenet_v3.preprocess_input` / `decode_predictions`.
namespace mobilenet_v3 {

/// A placeholder, as in Keras: the model rescales its input itself; returns `x` unchanged.
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace mobilenet_v3

namespace detail::mobilenet_v3 {
/// Keras's WEIGHTS_HASHES: "<large|small>[_minimalistic]_224_<alpha>_float" -> (top md5, no-top md5).
const std::map<std::string, std::pair<std::string, std::string>>& weights_hashes();
}  // namespace detail::mobilenet_v3
}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/mobilenet_v3-inl.hpp>
#endif
