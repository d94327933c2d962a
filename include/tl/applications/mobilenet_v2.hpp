#pragma once
// keras.applications.MobileNetV2 as tf.keras 2.11 builds it (keras/applications/mobilenet_v2.py), layer for layer
// and name for name, with Keras's ImageNet weights (30 files: alpha 0.35/0.5/0.75/1.0/1.3/1.4 × input
// 96/128/160/192/224).
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

/// Keras's keyword arguments of MobileNetV2, with Keras's defaults (the common ones in ResNetOptions' order,
/// then alpha).
struct MobileNetV2Options {
  bool include_top = true;  ///< end with GlobalAveragePooling2D + Dense(classes) "predictions"
  /// "imagenet" (Keras's weights for this alpha and input size, downloaded once into ~/.keras/models), "" or
  /// "none" (random), or the path to a Keras HDF5 weights file of the same architecture (loaded by layer order).
  std::string weights = "imagenet";
  /// Optional: build on this tensor; without input_shape its size picks the default size (and ImageNet file).
  KerasTensor input_tensor = {};
  /// Without the batch, e.g. {96, 96, 3}; empty: {224, 224, 3} with the top, {None, None, 3} without it.
  /// ImageNet weights exist for square inputs of 96, 128, 160, 192 and 224 (other sizes load the 224 file).
  Shape input_shape = {};
  std::string pooling = "";  ///< without the top: "" (4-D feature map), "avg" or "max"
  int64_t classes = 1000;
  std::string classifier_activation = "softmax";  ///< of the top Dense; "" for logits
  std::string name = "";  ///< default "mobilenetv2_<alpha:.2f>_<rows>", e.g. "mobilenetv2_1.00_224"
  /// Width multiplier (filters _make_divisible(f·alpha, 8)); ImageNet weights for 0.35, 0.5, 0.75, 1.0, 1.3, 1.4.
  double alpha = 1.0;
};

/// `keras.applications.MobileNetV2`: Sandler et al.'s inverted residual blocks with linear bottlenecks.
/// Feed it images preprocessed by `mobilenet_v2::preprocess_input` (to [-1, 1]).
/// Example: `auto base = tl::applications::MobileNetV2({.include_top = false, .input_shape = {96, 96, 3}, .alpha = 0.35});`
Model MobileNetV2(const MobileNetV2Options& options = {});

/// Keras's module functions `keras.applications.mobilenet_v2.preprocess_input` / `decode_predictions`.
namespace mobilenet_v2 {

/// "tf" preprocessing: pixel values in [0, 255] to [-1, 1] (x / 127.5 - 1).
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace mobilenet_v2

namespace detail {
struct WeightsFile;
}  // namespace detail

namespace detail::mobilenet_v2 {
/// The ImageNet file Keras fetches: mobilenet_v2_weights_tf_dim_ordering_tf_kernels_<str(alpha)>_<rows>[_no_top].h5.
WeightsFile weights_file(double alpha, int64_t rows, bool include_top);
}  // namespace detail::mobilenet_v2
}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/mobilenet_v2-inl.hpp>
#endif
