#pragma once
// keras.applications.EfficientNetB0 ... B7 as tf.keras 2.11 builds them (keras/applications/efficientnet.py),
// layer for layer and name for name — the stem's Rescaling and Normalization are part of the model and of its
// weights, drop-connect is Dropout(noise_shape=(None, 1, 1, 1)) — with Keras's ImageNet weights.
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

/// Keras's keyword arguments of EfficientNetB0...B7, with Keras's defaults (the common ones in ResNetOptions'
/// order, then drop_connect_rate, which Keras passes on to its EfficientNet builder).
struct EfficientNetOptions {
  bool include_top = true;  ///< end with GlobalAveragePooling2D "avg_pool", Dropout "top_dropout", Dense "predictions"
  /// "imagenet" (Keras's weights, downloaded once into ~/.keras/models and checked by md5), "" or "none" (random),
  /// or the path to a Keras HDF5 weights file of the same architecture (loaded by layer order). Only "imagenet"
  /// adds the third stem layer `rescaling_1`, as in Keras (its files hold the stddev as the variance).
  std::string weights = "imagenet";
  KerasTensor input_tensor = {};  ///< optional: build on this tensor instead of a new Input
  /// Without the batch; empty: the variant's default size (224, 240, 260, 300, 380, 456, 528, 600) with the top,
  /// {None, None, 3} without it. At least 32x32.
  Shape input_shape = {};
  std::string pooling = "";  ///< without the top: "" (4-D feature map), "avg" or "max"
  int64_t classes = 1000;
  std::string classifier_activation = "softmax";  ///< of the top Dense; "" for logits
  std::string name = "";                          ///< default "efficientnetb0" ... "efficientnetb7"
  double drop_connect_rate = 0.2;  ///< the last block's drop-connect rate (block b of B: rate · b / B), training only
};

/// `keras.applications.EfficientNetB0`: Tan and Le's EfficientNet-B0. It rescales and normalizes its input itself
/// (pixels in [0, 255]): `efficientnet::preprocess_input` returns images unchanged.
/// Example: `auto base = tl::applications::EfficientNetB0({.include_top = false, .pooling = "avg"});`
Model EfficientNetB0(const EfficientNetOptions& options = {});
/// `keras.applications.EfficientNetB1` (default input 240); options as EfficientNetB0.
Model EfficientNetB1(const EfficientNetOptions& options = {});
/// `keras.applications.EfficientNetB2` (default input 260).
Model EfficientNetB2(const EfficientNetOptions& options = {});
/// `keras.applications.EfficientNetB3` (default input 300).
Model EfficientNetB3(const EfficientNetOptions& options = {});
/// `keras.applications.EfficientNetB4` (default input 380).
Model EfficientNetB4(const EfficientNetOptions& options = {});
/// `keras.applications.EfficientNetB5` (default input 456).
Model EfficientNetB5(const EfficientNetOptions& options = {});
/// `keras.applications.EfficientNetB6` (default input 528).
Model EfficientNetB6(const EfficientNetOptions& options = {});
/// `keras.applications.EfficientNetB7` (default input 600).
Model EfficientNetB7(const EfficientNetOptions& options = {});

/// Keras's module functions `keras.applications.efficientnet.preprocess_input` / `decode_predictions`.
namespace efficientnet {

/// A placeholder, as in Keras: the model rescales and normalizes its input itself; returns `x` unchanged.
torch::Tensor preprocess_input(const torch::Tensor& x);

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace efficientnet

namespace detail {
class Application;
struct ApplicationSpec;
}  // namespace detail

namespace detail::efficientnet {

/// One variant of the family: efficientnet.py's EfficientNetB<i> arguments and WEIGHTS_HASHES.
struct EfficientNetSpec {
  double width_coefficient, depth_coefficient;
  int64_t default_size;
  double dropout_rate;
  std::string model_name;          ///< "efficientnetb0"
  std::string top_md5, notop_md5;  ///< of efficientnetb<i>.h5 / efficientnetb<i>_notop.h5
};

/// The variant's spec: 0 (B0) ... 7 (B7).
const EfficientNetSpec& variant(int i);

/// What the shared machinery needs: name, default and minimum size, the ImageNet files.
ApplicationSpec application_spec(const EfficientNetSpec& spec);

/// The layers from app.input() to the output (Keras's graph for app's `weights`: "imagenet" adds `rescaling_1`).
KerasTensor graph(const Application& app, const EfficientNetSpec& spec, const EfficientNetOptions& options);

/// efficientnet.py's EfficientNet(...): the model of `spec`, its weights loaded (tests give other hashes to load
/// a local file as the ImageNet one).
Model EfficientNet(const EfficientNetSpec& spec, const EfficientNetOptions& options);

}  // namespace detail::efficientnet
}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/efficientnet-inl.hpp>
#endif
