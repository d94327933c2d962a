#pragma once
// keras.applications.ResNet50 / ResNet101 / ResNet152: the graph of keras_applications/resnet_common.py (ResNet
// v1, stride on each stack's first 1x1 conv), layer for layer and name for name, with Keras's ImageNet weights.
#include <tl/applications/imagenet_utils.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/layers/layers.hpp>
#include <tl/models/model.hpp>
#include <tl/utils/get_file.hpp>

#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace tl::applications {

/// Keras's keyword arguments of ResNet50/101/152, with Keras's defaults.
struct ResNetOptions {
  bool include_top = true;  ///< end with GlobalAveragePooling2D + Dense(classes)
  /// "imagenet" (Keras's pretrained weights, downloaded once into ~/.keras/models), "" or "none" (random),
  /// or the path to a Keras HDF5 weights file of the same architecture.
  std::string weights = "imagenet";
  KerasTensor input_tensor = {};  ///< optional: build on this tensor (e.g. from tl::Input) instead of a new Input
  /// Without the batch, e.g. {224, 224, 3}; empty: {224, 224, 3} with the top, {None, None, 3} without it.
  Shape input_shape = {};
  std::string pooling = "";  ///< without the top: "" (4-D feature map), "avg" or "max" (2-D features)
  int64_t classes = 1000;
  std::string classifier_activation = "softmax";  ///< of the top Dense; "" for logits
  std::string name = "";                          ///< default "resnet50", "resnet101", "resnet152"
};

namespace detail {

inline constexpr const char* base_weights_path = "https://github.com/keras-team/keras-applications/releases/download/resnet/";

/// An architecture of the family: its Keras name, blocks per stack (conv2..conv5) and ImageNet file hashes.
struct ResNetSpec {
  std::string model_name;
  std::array<int, 4> blocks;
  std::string top_md5, notop_md5;  ///< resnet_common.py's WEIGHTS_HASHES
};

inline constexpr double bn_epsilon = 1.001e-5;  // resnet_common.py's

inline KerasTensor conv_bn(const KerasTensor& x, int64_t filters, int64_t kernel, int64_t stride, const std::string& name) {
  auto y = layers::Conv2D(filters, kernel, {.strides = stride, .padding = kernel > 1 ? "same" : "valid", .name = name + "_conv"})(x);
  return layers::BatchNormalization({.axis = 3, .epsilon = bn_epsilon, .name = name + "_bn"})(y);
}

/// resnet_common.block1: a bottleneck block; the projection shortcut (`_0_conv`) only when `conv_shortcut`.
inline KerasTensor block1(const KerasTensor& x, int64_t filters, int64_t stride, bool conv_shortcut,
                          const std::string& name) {
  const auto shortcut = conv_shortcut ? conv_bn(x, 4 * filters, 1, stride, name + "_0") : x;
  auto y = conv_bn(x, filters, 1, stride, name + "_1");
  y = layers::Activation("relu", {.name = name + "_1_relu"})(y);
  y = conv_bn(y, filters, 3, 1, name + "_2");
  y = layers::Activation("relu", {.name = name + "_2_relu"})(y);
  y = conv_bn(y, 4 * filters, 1, 1, name + "_3");
  y = layers::Add({.name = name + "_add"})({shortcut, y});
  return layers::Activation("relu", {.name = name + "_out"})(y);
}

/// resnet_common.stack1: `blocks` blocks, the first one projecting (and striding by `stride1`).
inline KerasTensor stack1(KerasTensor x, int64_t filters, int blocks, int64_t stride1, const std::string& name) {
  x = block1(x, filters, stride1, true, name + "_block1");
  for (int i = 2; i <= blocks; ++i) x = block1(x, filters, 1, false, name + "_block" + std::to_string(i));
  return x;
}

/// conv1 and pool1, then the four stacks: the network without its top.
inline KerasTensor resnet_body(const KerasTensor& input, const std::array<int, 4>& blocks) {
  auto x = layers::ZeroPadding2D({{3, 3}, {3, 3}}, {.name = "conv1_pad"})(input);
  x = layers::Conv2D(64, 7, {.strides = 2, .name = "conv1_conv"})(x);
  x = layers::BatchNormalization({.axis = 3, .epsilon = bn_epsilon, .name = "conv1_bn"})(x);
  x = layers::Activation("relu", {.name = "conv1_relu"})(x);
  x = layers::ZeroPadding2D({{1, 1}, {1, 1}}, {.name = "pool1_pad"})(x);
  x = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .name = "pool1_pool"})(x);
  x = stack1(x, 64, blocks[0], 1, "conv2");
  x = stack1(x, 128, blocks[1], 2, "conv3");
  x = stack1(x, 256, blocks[2], 2, "conv4");
  return stack1(x, 512, blocks[3], 2, "conv5");
}

/// The classifier (include_top) or the optional global pooling.
inline KerasTensor resnet_head(KerasTensor x, const ResNetOptions& options) {
  if (options.include_top) {
    x = layers::GlobalAveragePooling2D({.name = "avg_pool"})(x);
    return layers::Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  }
  if (options.pooling == "avg") return layers::GlobalAveragePooling2D({.name = "avg_pool"})(x);
  if (options.pooling == "max") return layers::GlobalMaxPooling2D({.name = "max_pool"})(x);
  return x;
}

inline bool is_random(const std::string& weights) { return weights.empty() || weights == "none"; }

/// Keras's argument checks, in Keras's order, before anything is built.
inline void validate(const ResNetOptions& options) {
  const auto& w = options.weights;
  if (!(w == "imagenet" || is_random(w) || std::filesystem::exists(w)))
    throw ValueError("The `weights` argument should be either `None` (random initialization), `imagenet` "
                     "(pre-training on ImageNet), or the path to the weights file to be loaded. Received: weights=" + w);
  if (w == "imagenet" && options.include_top && options.classes != 1000)
    throw ValueError("If using `weights` as `\"imagenet\"` with `include_top` as true, `classes` should be 1000. "
                     "Received: classes=" + std::to_string(options.classes));
  tl::detail::check(options.classes > 0, "`classes` must be positive. Received: classes=" + std::to_string(options.classes));
  tl::detail::check(options.pooling.empty() || options.pooling == "avg" || options.pooling == "max",
                    "`pooling` should be None, \"avg\" or \"max\". Received: pooling=" + options.pooling);
}

/// Keras's `get_source_inputs`: the Input tensors a tensor is computed from, in discovery order.
inline std::vector<KerasTensor> source_inputs(const KerasTensor& tensor) {
  std::vector<KerasTensor> found, pending{tensor};
  std::set<const Node*> seen;
  while (!pending.empty()) {
    const auto t = pending.back();
    pending.pop_back();
    if (!seen.insert(t.node().get()).second) continue;
    if (t.node()->inputs.empty()) found.push_back(t);
    for (auto it = t.node()->inputs.rbegin(); it != t.node()->inputs.rend(); ++it) pending.push_back(*it);
  }
  return found;
}

/// Keras's ImageNet file: fetched once into the cache, checked against its md5, loaded like `model.load_weights`.
inline std::string imagenet_weights(const ResNetSpec& spec, bool include_top) {
  const std::string file_name =
      spec.model_name + (include_top ? "_weights_tf_dim_ordering_tf_kernels.h5" : "_weights_tf_dim_ordering_tf_kernels_notop.h5");
  return utils::get_file(file_name, base_weights_path + file_name,
                         {.cache_subdir = "models", .file_hash = include_top ? spec.top_md5 : spec.notop_md5});
}

/// resnet_common.ResNet: validates, builds the graph, loads the weights.
inline Model resnet(const ResNetSpec& spec, const ResNetOptions& options) {
  validate(options);
  const bool imagenet = options.weights == "imagenet";
  const auto input_shape = obtain_input_shape(
      options.input_shape, {.default_size = 224, .min_size = 32, .require_flatten = options.include_top, .imagenet = imagenet});
  const auto input = options.input_tensor.defined() ? options.input_tensor : Input(input_shape);
  if (options.include_top) validate_activation(options.classifier_activation, !is_random(options.weights));
  const auto output = resnet_head(resnet_body(input, spec.blocks), options);
  const auto inputs = options.input_tensor.defined() ? source_inputs(options.input_tensor) : std::vector{input};
  Model model(inputs, output, options.name.empty() ? spec.model_name : options.name);
  // By order, as Keras's `model.load_weights(path)`: the files name the top Dense "probs" (keras_applications)
  // while tf.keras names it "predictions"; every layer's weight count and shapes are still checked.
  if (imagenet) io::load_weights_hdf5(imagenet_weights(spec, options.include_top), model->layers());
  else if (!is_random(options.weights)) io::load_weights_hdf5(options.weights, model->layers());
  return model;
}

}  // namespace detail

/// `keras.applications.ResNet50`: He et al.'s 50-layer ResNet (v1) exactly as Keras builds it, optionally with
/// Keras's ImageNet weights. Feed it images preprocessed by `resnet50::preprocess_input`.
/// Example (the transfer-learning base):
///   auto base = tl::applications::ResNet50({.include_top = false, .input_shape = {224, 224, 3}});
///   base.trainable(false);
inline Model ResNet50(const ResNetOptions& options = {}) {
  return detail::resnet({"resnet50", {3, 4, 6, 3}, "2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"},
                        options);
}

/// `keras.applications.ResNet101`; options as ResNet50.
inline Model ResNet101(const ResNetOptions& options = {}) {
  return detail::resnet({"resnet101", {3, 4, 23, 3}, "f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"},
                        options);
}

/// `keras.applications.ResNet152`; options as ResNet50.
inline Model ResNet152(const ResNetOptions& options = {}) {
  return detail::resnet({"resnet152", {3, 8, 36, 3}, "100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"},
                        options);
}

/// Keras's module functions `keras.applications.resnet50.preprocess_input` / `decode_predictions`.
namespace resnet50 {

/// Caffe-style preprocessing, as the ImageNet weights expect: RGB->BGR, minus the ImageNet mean, no scaling.
/// Example: `auto x = tl::applications::resnet50::preprocess_input(images);  // (N, 224, 224, 3), values 0..255`
inline torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "caffe"}); }

/// The `top` most likely ImageNet classes of each row of `preds` (samples, 1000), best first.
inline std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top = 5) {
  return applications::decode_predictions(preds, top);
}

}  // namespace resnet50

/// `keras.applications.resnet`: the same functions, for ResNet101 and ResNet152.
namespace resnet {
using resnet50::decode_predictions;
using resnet50::preprocess_input;
}  // namespace resnet

}  // namespace tl::applications
