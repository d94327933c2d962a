#pragma once
// keras.applications.imagenet_utils: ImageNet preprocessing (caffe / tf / torch), decoding of predictions,
// and the input-shape rules every application model follows.
#include <tl/applications/detail/class_index.hpp>
#include <tl/core/config.hpp>
#include <tl/core/shape.hpp>

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tl::applications {

/// One guess of `decode_predictions`: WordNet id, readable name, score.
struct Prediction {
  std::string class_name;         ///< "n02504458"
  std::string class_description;  ///< "African_elephant"
  float score = 0;
};

namespace detail {

inline constexpr const char* class_index_url =
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json";
inline constexpr const char* class_index_md5 = "c2c37ea517e94d9795004a39431a14cb";

/// ValueError unless `mode` is "caffe", "tf" or "torch" (Keras's message).
void check_mode(const std::string& mode);

/// ValueError unless `preds` is (samples, classes) (Keras's message).
void check_predictions_shape(const torch::Tensor& preds, size_t classes);

/// `decode_predictions` with a given class index: the `top` best classes of each row, best first.
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top, const ClassIndex& index);

/// Keras's imagenet_class_index.json from the cache (downloaded once), read once per process.
const ClassIndex& imagenet_class_index();

/// Keras's `imagenet_utils.validate_activation`: pretrained top layers only make sense with softmax or none.
void validate_activation(const std::string& classifier_activation, bool pretrained);

/// What `obtain_input_shape` needs to know about the model.
struct InputShapeRules {
  int64_t default_size = 224;
  int64_t min_size = 32;
  bool require_flatten = true;  ///< include_top: the classifier needs a fixed size
  bool imagenet = false;        ///< weights == "imagenet"
};

/// Keras's warning for an input_shape whose channels are neither 1 nor 3.
void warn_unusual_channels(const Shape& input_shape);

/// Keras's `imagenet_utils.obtain_input_shape` (channels-last): checks a user's input shape (without the
/// batch; empty means none given) or picks the default. Messages are keras_applications 1.0.8's.
Shape obtain_input_shape(Shape input_shape, const InputShapeRules& rules);

}  // namespace detail

/// Keras's keyword arguments of `imagenet_utils.preprocess_input` (tl's images are channels-last).
struct PreprocessOptions {
  /// "caffe": RGB->BGR and minus the ImageNet mean, no scaling (ResNet, VGG); "tf": to [-1, 1];
  /// "torch": to [0, 1], then minus mean and divided by std per channel.
  std::string mode = "caffe";
};

/// Keras's `imagenet_utils.preprocess_input` for a batch (N, H, W, 3) or one image (H, W, 3) of RGB values in
/// [0, 255]. Returns a new tensor (integers become float32, floating types are kept); the input is not changed.
/// Example: `auto x = tl::applications::preprocess_input(images, {.mode = "torch"});`
torch::Tensor preprocess_input(const torch::Tensor& x, const PreprocessOptions& options = {});

/// Keras's `imagenet_utils.decode_predictions`: for each row of `preds` (samples, 1000), the `top` most likely
/// ImageNet classes, best first. The class names come from Keras's imagenet_class_index.json via `get_file`.
/// Example:
///   for (const auto& p : tl::applications::decode_predictions(model.predict(x), 3)[0])
///     std::cout << p.class_description << ": " << p.score << "\n";
std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5);

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/imagenet_utils-inl.hpp>
#endif
