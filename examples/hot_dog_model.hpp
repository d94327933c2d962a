#pragma once
// The seed's model, shared by hot_dog (which trains it) and predict (which rebuilds it to load the weights).
#include <tl/tl.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace examples {

/// A frozen ResNet50 base (or any keras.applications model by Keras's name: "DenseNet121", "InceptionV3", ...),
/// global average pooling and a softmax Dense with one unit per class: the blog's model line for line. `weights`
/// is "imagenet", "none" or a Keras HDF5 file of the base without its top.
inline tl::Model hot_dog_model(const std::string& weights, int64_t target_size, int64_t classes,
                               const std::string& base = "ResNet50") {
  auto base_model = tl::applications::by_name::get(base).make(
      {.include_top = false, .weights = weights, .input_shape = {target_size, target_size, 3}});
  base_model.trainable(false);
  auto inputs = tl::Input({target_size, target_size, 3});
  auto x = base_model(inputs);
  x = tl::layers::GlobalAveragePooling2D()(x);
  auto outputs = tl::layers::Dense(classes, {.activation = "softmax"})(x);
  return tl::Model(inputs, outputs, "my_model");
}

/// Where the class names of a saved model live: beside it, as Keras users keep `class_indices`.
inline std::filesystem::path classes_file(const std::filesystem::path& model_file) {
  return model_file.string() + ".classes";
}

/// Writes the class names one per line, in `class_indices` order (line i is the class of output unit i).
inline void save_class_names(const std::filesystem::path& model_file, const std::map<std::string, int>& class_indices) {
  std::vector<std::string> names(class_indices.size());
  for (const auto& [name, index] : class_indices) names.at(index) = name;
  std::ofstream out(classes_file(model_file));
  for (const auto& name : names) out << name << "\n";
  if (!out) throw tl::IOError("cannot write " + classes_file(model_file).string());
}

inline std::vector<std::string> load_class_names(const std::filesystem::path& model_file) {
  std::ifstream in(classes_file(model_file));
  if (!in) throw tl::IOError("cannot read the class names of " + model_file.string() + ": " +
                             classes_file(model_file).string() + " is missing (hot_dog --save writes it)");
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) names.push_back(line);
  if (names.empty()) throw tl::IOError(classes_file(model_file).string() + " lists no class");
  return names;
}

}  // namespace examples
