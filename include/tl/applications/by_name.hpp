#pragma once
// tl's table of every keras.applications model it builds, by Keras's function name, for programs that choose a
// base model at run time (examples/hot_dog.cpp's `--base NAME`). Keras has no such function; it is tl's own,
// kept apart in tl::applications::by_name. A family joins with one row per model in impl/by_name-inl.hpp:
//   {"VGG16", by_name::factory(VGG16), "caffe", vgg16::preprocess_input},
#include <tl/applications/detail/application.hpp>
#include <tl/core/config.hpp>
#include <tl/models/model.hpp>

#include <torch/types.h>

#include <functional>
#include <string>
#include <vector>

namespace tl::applications::by_name {

/// The keyword arguments every application shares (include_top, weights, input_tensor, input_shape, pooling,
/// classes, classifier_activation, name), with Keras's defaults; a family's own arguments (MobileNet's alpha, ...)
/// keep their defaults.
using Options = detail::ApplicationOptions;
using Factory = std::function<Model(const Options&)>;
using Preprocess = std::function<torch::Tensor(const torch::Tensor&)>;

/// One model of the table.
struct Entry {
  std::string name;             ///< Keras's function name: "ResNet50", "InceptionV3", "NASNetMobile"
  Factory make;                 ///< builds it from the shared options
  std::string preprocess_mode;  ///< preprocess_input's mode: "caffe", "tf", "torch"; "" = images pass unchanged
  Preprocess preprocess_input;  ///< the family's module function (`resnet50::preprocess_input`, ...)
};

/// A Factory from a family's builder taking its own options struct (one with ApplicationOptions' members).
template <class FamilyOptions>
Factory factory(Model (*make)(const FamilyOptions&)) {
  return [make](const Options& o) {
    FamilyOptions f;
    f.include_top = o.include_top;
    f.weights = o.weights;
    f.input_tensor = o.input_tensor;
    f.input_shape = o.input_shape;
    f.pooling = o.pooling;
    f.classes = o.classes;
    f.classifier_activation = o.classifier_activation;
    f.name = o.name;
    return make(f);
  };
}

/// Every model, in the order of docs/applications.md's table.
const std::vector<Entry>& entries();

/// The names of entries(), in order.
std::vector<std::string> names();

/// The entry named `name` (Keras's spelling, e.g. "DenseNet121"); ValueError listing the names otherwise.
/// Example:
///   const auto& base = tl::applications::by_name::get("InceptionV3");
///   auto model = base.make({.include_top = false, .pooling = "avg"});
///   auto x = base.preprocess_input(images);
const Entry& get(const std::string& name);

}  // namespace tl::applications::by_name

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/by_name-inl.hpp>
#endif
