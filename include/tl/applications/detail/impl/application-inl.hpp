#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/core/errors.hpp>
#include <tl/layers/dense.hpp>
#include <tl/layers/dropout.hpp>
#include <tl/layers/global_pooling.hpp>
#include <tl/layers/input_layer.hpp>
#include <tl/utils/get_file.hpp>

#include <filesystem>
#include <set>

namespace tl::applications::detail {

TL_INLINE bool Application::random_weights(const std::string& weights) { return weights.empty() || weights == "none"; }

TL_INLINE void validate_application_options(const ApplicationOptions& options) {
  const auto& w = options.weights;
  if (!(w == "imagenet" || Application::random_weights(w) || std::filesystem::exists(w)))
    throw ValueError("The `weights` argument should be either `None` (random initialization), `imagenet` "
                     "(pre-training on ImageNet), or the path to the weights file to be loaded. Received: weights=" + w);
  if (w == "imagenet" && options.include_top && options.classes != 1000)
    throw ValueError("If using `weights` as `\"imagenet\"` with `include_top` as true, `classes` should be 1000. "
                     "Received: classes=" + std::to_string(options.classes));
  tl::detail::check(options.classes > 0, "`classes` must be positive. Received: classes=" + std::to_string(options.classes));
  tl::detail::check(options.pooling.empty() || options.pooling == "avg" || options.pooling == "max",
                    "`pooling` should be None, \"avg\" or \"max\". Received: pooling=" + options.pooling);
}

TL_INLINE Application::Application(ApplicationSpec spec, ApplicationOptions options)
    : spec_(std::move(spec)), options_(std::move(options)) {
  validate_application_options(options_);
  if (spec_.input_shape_rule) {
    input_shape_ = spec_.input_shape_rule(options_.input_shape, imagenet());
  } else {
    input_shape_ = obtain_input_shape(options_.input_shape,
                                      {.default_size = spec_.default_size,
                                       .min_size = spec_.min_size,
                                       .require_flatten = spec_.require_flatten.value_or(options_.include_top),
                                       .imagenet = imagenet()});
  }
  input_ = options_.input_tensor.defined() ? options_.input_tensor : Input(input_shape_);
  if (options_.include_top) validate_activation(options_.classifier_activation, pretrained());
}

TL_INLINE KerasTensor Application::pooling(const KerasTensor& features, const PoolingNames& names) const {
  if (options_.pooling == "avg") return layers::GlobalAveragePooling2D({.name = names.avg})(features);
  if (options_.pooling == "max") return layers::GlobalMaxPooling2D({.name = names.max})(features);
  return features;
}

TL_INLINE KerasTensor Application::classifier(const KerasTensor& features, const ClassifierOptions& classifier) const {
  auto x = layers::GlobalAveragePooling2D({.name = classifier.pool_name})(features);
  if (classifier.dropout > 0) x = layers::Dropout(classifier.dropout, {.name = classifier.dropout_name})(x);
  return layers::Dense(options_.classes, {.activation = options_.classifier_activation, .name = classifier.name})(x);
}

TL_INLINE KerasTensor Application::head(const KerasTensor& features, const ClassifierOptions& classifier,
                                        const PoolingNames& names) const {
  return options_.include_top ? this->classifier(features, classifier) : pooling(features, names);
}

TL_INLINE std::vector<KerasTensor> source_inputs(const KerasTensor& tensor) {
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

TL_INLINE WeightsFile tf_kernels_file(const std::string& url_dir, const std::string& stem, const std::string& suffix,
                                      const std::string& md5) {
  const auto fname = stem + "_weights_tf_dim_ordering_tf_kernels" + suffix + ".h5";
  return {fname, url_dir + fname, md5};
}

TL_INLINE std::string fetch_weights_file(const WeightsFile& file) {
  return utils::get_file(file.fname, file.origin, {.cache_subdir = "models", .file_hash = file.file_hash});
}

TL_INLINE Model Application::model(const KerasTensor& output) const {
  const auto inputs = options_.input_tensor.defined() ? source_inputs(options_.input_tensor) : std::vector{input_};
  Model model(inputs, output, options_.name.empty() ? spec_.name : options_.name);
  // By order, as Keras's `model.load_weights(path)`: Keras's files of one era name layers as their Keras did
  // (keras_applications' ResNet "probs", tf.keras's "predictions"); every layer's weight count and shapes are
  // still checked.
  if (imagenet()) {
    const auto& file = options_.include_top ? spec_.imagenet_top : spec_.imagenet_notop;
    if (file.fname.empty())
      throw ValueError("There are no `imagenet` weights for " + spec_.name +
                       (options_.include_top ? " with" : " without") + " its top");
    io::load_weights_hdf5(fetch_weights_file(file), model->layers(), spec_.load);
  } else if (pretrained()) {
    io::load_weights_hdf5(options_.weights, model->layers(), spec_.load);
  }
  return model;
}

}  // namespace tl::applications::detail
