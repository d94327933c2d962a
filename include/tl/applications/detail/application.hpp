#pragma once
// What every keras.applications builder shares, so that a family (ResNet, VGG, MobileNet, EfficientNet, ...)
// writes only its graph: Keras's argument checks and messages, obtain_input_shape, the input (or the user's
// input_tensor and the Inputs it comes from), the include_top/pooling/classes/classifier_activation head, the
// model's name, and `weights` = "imagenet" (the family's file fetched once by get_file and checked by its hash),
// none, or a file path, loaded by order (Keras's `model.load_weights`) or by name on request.
//
// A family in a few lines (impl/resnet-inl.hpp is the full example; tests/applications/application_test.cpp a toy):
//
//   // vgg.hpp: using VGGOptions = ApplicationOptions;  (a family with arguments of its own: a struct of its own)
//   //          Model VGG16(const VGGOptions& options = {});
//   // impl/vgg-inl.hpp (included once by src/applications.cpp):
//   namespace tl::applications::detail::vgg {  // the family's helpers, in a namespace named after its Keras module
//   TL_INLINE KerasTensor body(const KerasTensor& input, const std::array<int, 5>& convs) {...}
//   TL_INLINE KerasTensor top(const KerasTensor& x, const ApplicationOptions& options) {...}  // flatten, fc1, fc2
//   }
//   TL_INLINE Model VGG16(const VGGOptions& options) {
//     const detail::Application app(
//         {.name = "vgg16", .default_size = 224, .min_size = 32,
//          .imagenet_top = {"vgg16_weights_tf_dim_ordering_tf_kernels.h5", origin, "64373286793e3c8b2b4e3219cbf3544b"},
//          .imagenet_notop = {"vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", origin2, "6d6bbae1..."}},
//         detail::common_options(options));          // Keras's checks and messages, input shape, input
//     auto x = detail::vgg::body(app.input(), {2, 2, 3, 3, 3});
//     x = app.include_top() ? detail::vgg::top(x, app.options()) : app.pooling(x, {.avg = "", .max = ""});
//     return app.model(x);                            // source inputs, name, weights (imagenet / file)
//   }
//
// Families whose classifier is GlobalAveragePooling2D + [Dropout] + Dense("predictions") end with
// `app.model(app.head(x, {.pool_name = ..., .dropout = ...}))`. Their module functions: preprocess_input is
// applications::preprocess_input with the family's mode ("caffe", "tf", "torch"; EfficientNet and MobileNetV3
// return images unchanged), decode_predictions is applications::decode_predictions (see resnet50:: in resnet.hpp).
// The argument messages are keras_applications 1.0.8's, which ResNet's tests pin (tf.keras 2.11 words three of
// them differently: docs/dev/applications_spec.md, section 1.6).
#include <tl/applications/application_options.hpp>
#include <tl/applications/imagenet_utils.hpp>
#include <tl/core/config.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/core/shape.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/models/model.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tl::applications::detail {

/// The keyword arguments every keras.applications constructor has (the public ApplicationOptions).
using ApplicationOptions = tl::applications::ApplicationOptions;

/// The common arguments of a family's options struct (any struct with the members of ApplicationOptions, as
/// ResNetOptions): `Application app(spec, common_options(options));`
template <class Options>
ApplicationOptions common_options(const Options& o) {
  return {o.include_top, o.weights, o.input_tensor, o.input_shape, o.pooling, o.classes, o.classifier_activation, o.name};
}

/// One of Keras's pretrained weights files: `get_file(fname, origin, cache_subdir="models", file_hash=...)`.
struct WeightsFile {
  std::string fname;      ///< its name in the cache, e.g. "resnet50_weights_tf_dim_ordering_tf_kernels.h5"
  std::string origin;     ///< its URL
  std::string file_hash;  ///< md5 (32 hex digits) or sha256 (64); empty: not checked
};

/// Keras's usual ImageNet file, `<stem>_weights_tf_dim_ordering_tf_kernels<suffix>.h5` (suffix "" for the top,
/// "_notop" without it), at `url_dir` + that name: tf_kernels_file(url, "xception", "_notop", "b0042744...").
WeightsFile tf_kernels_file(const std::string& url_dir, const std::string& stem, const std::string& suffix,
                            const std::string& md5);

/// What the shared machinery needs to know about one model of a family.
struct ApplicationSpec {
  std::string name;             ///< Keras's model name, the default `name`: "resnet50", "vgg16", ...
  int64_t default_size = 224;   ///< obtain_input_shape's default_size (square inputs of this size)
  int64_t min_size = 32;        ///< obtain_input_shape's min_size
  /// obtain_input_shape's require_flatten; unset: include_top, as tf.keras 2.11 passes for every family.
  std::optional<bool> require_flatten = std::nullopt;
  /// Replaces obtain_input_shape (MobileNetV3 has its own rule): (the user's input_shape, imagenet) -> shape.
  std::function<Shape(const Shape& input_shape, bool imagenet)> input_shape_rule = nullptr;
  WeightsFile imagenet_top = {};  ///< weights="imagenet" with the top; an empty fname: Keras has no such file
  WeightsFile imagenet_notop = {};  ///< weights="imagenet" without it
  io::LoadWeightsOptions load = {};  ///< how weights files load: by order (Keras's load_weights), or by_name
};

/// Names of the optional global pooling without the top; an empty name lets Keras number the layer
/// (`global_average_pooling2d`), as VGG, Inception, MobileNet and NASNet do.
struct PoolingNames {
  std::string avg = "avg_pool";
  std::string max = "max_pool";
};

/// The classifier most families end with: GlobalAveragePooling2D, optional Dropout, Dense(classes).
struct ClassifierOptions {
  std::string pool_name = "avg_pool";  ///< "" for an auto-named pooling layer (MobileNetV2, NASNet)
  double dropout = 0;                  ///< > 0: a Dropout layer before the Dense (EfficientNet)
  std::string dropout_name = "top_dropout";
  std::string name = "predictions";    ///< the Dense layer's name
};

/// One application model being built. The constructor checks the arguments in Keras's order (weights, classes,
/// pooling, input shape, classifier activation) with Keras's messages and makes the input; the family adds its
/// layers to input(), ends them with head() (or its own top and pooling()), and calls model().
class Application {
 public:
  Application(ApplicationSpec spec, ApplicationOptions options);

  const ApplicationOptions& options() const { return options_; }
  /// The spec; a family may fill in what depends on the resolved input shape (MobileNet's rows: its name and
  /// weights files) before model().
  ApplicationSpec& spec() { return spec_; }
  const ApplicationSpec& spec() const { return spec_; }
  bool include_top() const { return options_.include_top; }
  bool imagenet() const { return options_.weights == "imagenet"; }
  /// Whether weights are loaded (ImageNet or a file): the top's activation is then checked.
  bool pretrained() const { return !random_weights(options_.weights); }
  /// The input shape after obtain_input_shape, without the batch: (224, 224, 3), (None, None, 3), ...
  const Shape& input_shape() const { return input_shape_; }
  /// The tensor the family's layers start from: options().input_tensor, or a new Input(input_shape()).
  const KerasTensor& input() const { return input_; }

  /// Without the top, the optional global pooling of `features` ("avg"/"max"), else `features` unchanged.
  KerasTensor pooling(const KerasTensor& features, const PoolingNames& names = {}) const;
  /// GlobalAveragePooling2D, [Dropout,] Dense(classes, classifier_activation).
  KerasTensor classifier(const KerasTensor& features, const ClassifierOptions& classifier = {}) const;
  /// classifier() with the top, pooling() without it.
  KerasTensor head(const KerasTensor& features, const ClassifierOptions& classifier = {},
                   const PoolingNames& names = {}) const;

  /// The model from the source inputs to `output`, named options().name or the family's name, with its weights
  /// loaded: ImageNet's file through get_file (once per machine, its hash checked), or the given file.
  Model model(const KerasTensor& output) const;

  /// "", "none": random initialization.
  static bool random_weights(const std::string& weights);

 private:
  ApplicationSpec spec_;
  ApplicationOptions options_;
  Shape input_shape_;
  KerasTensor input_;
};

/// Keras's argument checks shared by every family, in Keras's order, before anything is built: `weights` is
/// "imagenet", none or an existing file; ImageNet's top needs 1000 classes; classes > 0; pooling is "", "avg" or
/// "max".
void validate_application_options(const ApplicationOptions& options);

/// Keras's `get_source_inputs`: the Input tensors a tensor is computed from, in discovery order.
std::vector<KerasTensor> source_inputs(const KerasTensor& tensor);

/// Fetches a pretrained weights file into Keras's cache (`~/.keras/models`) unless a copy with its hash is there;
/// returns its path.
std::string fetch_weights_file(const WeightsFile& file);

}  // namespace tl::applications::detail

#ifdef TL_HEADER_ONLY
#include <tl/applications/detail/impl/application-inl.hpp>
#endif
