#pragma once
#include <tl/core/errors.hpp>
#include <tl/io/detail/hdf5_attributes.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/layers/layer.hpp>

#include <algorithm>
#include <iostream>
#include <map>

namespace tl::io {

namespace detail {

TL_INLINE std::vector<Weight> legacy_weights(const layers::LayerImpl& layer) {
  auto weights = layer.trainable_weights();
  auto rest = layer.non_trainable_weights();
  weights.insert(weights.end(), rest.begin(), rest.end());
  return weights;
}

TL_INLINE void save_weights_to_hdf5_group(const Hdf5GroupWriter& f, const LayerList& layers) {
  std::vector<std::string> names;
  for (const auto& layer : layers) names.push_back(layer->name());
  save_attributes_to_hdf5_group(f, "layer_names", names);
  f.write_string("backend", "tensorflow");
  f.write_string("keras_version", keras_version);
  auto sorted = layers;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a->name() < b->name(); });
  for (const auto& layer : sorted) {
    const Hdf5GroupWriter g = f.create_group(layer->name());
    const auto weights = legacy_weights(*layer);
    std::vector<std::string> weight_names;
    for (const auto& w : weights) weight_names.push_back(w.name);
    save_attributes_to_hdf5_group(g, "weight_names", weight_names);
    for (const auto& w : weights) {
      // Keras's dtypes: float32, and int64 for integer weights (Normalization's `count`).
      const auto value = w.get();
      if (value.is_floating_point()) g.write_float32(w.name, value);
      else g.write_int64(w.name, value);
    }
  }
}

/// One file layer's weights: its group name, position among the file's layers, and arrays in weight_names order
/// (float32, or int64 for integer datasets) with where each is in the file.
struct SavedLayer {
  std::string name;
  size_t index = 0;
  std::vector<torch::Tensor> values;
  std::vector<std::string> where;
};

TL_INLINE std::vector<SavedLayer> read_saved_layers(const h5::GroupReader& f) {
  std::vector<SavedLayer> saved;
  const auto layer_names = load_attributes_from_hdf5_group(f, "layer_names");
  for (size_t k = 0; k < layer_names.size(); ++k) {
    const auto g = f.group(layer_names[k]);
    SavedLayer layer{layer_names[k], k, {}, {}};
    for (const auto& weight_name : load_attributes_from_hdf5_group(g, "weight_names")) {
      layer.values.push_back(g.read_numbers(weight_name));
      layer.where.push_back(g.where(weight_name));
    }
    saved.push_back(std::move(layer));
  }
  return saved;
}

/// Weight assignments gathered first and applied together, so a mismatch found late leaves the model unchanged
/// (Keras's `batch_set_value`).
struct Assignments {
  std::vector<std::pair<Weight, torch::Tensor>> pending;
  std::vector<std::string> layer_names;
  void apply() const {
    for (size_t i = 0; i < pending.size(); ++i) pending[i].first.set(pending[i].second, layer_names[i]);
  }
};

/// "layer #3 (named dense_1)", as Keras names a layer in load errors.
TL_INLINE std::string layer_at(size_t k, const layers::LayerImpl& layer) {
  return "layer #" + std::to_string(k) + " (named " + layer.name() + ")";
}

/// "Weight expects shape (2, 3). Received saved weight with shape (4, 3)".
TL_INLINE std::string shapes_differ(const Weight& weight, const torch::Tensor& value) {
  return "Weight expects shape " + Weight::shape_string(weight.keras_shape()) +
         ". Received saved weight with shape " + Weight::shape_string(value.sizes().vec());
}

/// Integer datasets (Keras's int64 `count`) load into integer weights only; a floating-point dataset into an
/// integer weight is converted (tl's files before 2.11's layout wrote `count` as float32).
TL_INLINE void check_number_kind(const Weight& weight, const SavedLayer& saved, size_t i) {
  if (weight.value.is_floating_point() && !saved.values[i].is_floating_point())
    throw ValueError("Dataset " + saved.where[i] + " does not hold floating-point numbers (the weight " + weight.name +
                     " is floating-point)");
}

TL_INLINE void warn(const std::string& message) { std::cerr << "WARNING: " << message << std::endl; }

TL_INLINE void load_weights_from_hdf5_group(const h5::GroupReader& f, const LayerList& layers) {
  LayerList filtered;
  for (const auto& layer : layers)
    if (!legacy_weights(*layer).empty()) filtered.push_back(layer);
  std::vector<SavedLayer> saved;
  for (auto& s : read_saved_layers(f))
    if (!s.values.empty()) saved.push_back(std::move(s));
  if (saved.size() != filtered.size())
    throw ValueError(f.file() + ": Layer count mismatch when loading weights from file. Model expected " +
                     std::to_string(filtered.size()) + " layers, found " + std::to_string(saved.size()) +
                     " saved layers.");
  Assignments assignments;
  for (size_t k = 0; k < saved.size(); ++k) {
    const auto& layer = *filtered[k];
    const auto weights = legacy_weights(layer);
    if (weights.size() != saved[k].values.size())
      throw ValueError(f.file() + ": Weight count mismatch for layer #" + std::to_string(k) + " (named " +
                       layer.name() + " in the current model, " + saved[k].name + " in the save file). Layer expects " +
                       std::to_string(weights.size()) + " weight(s). Received " +
                       std::to_string(saved[k].values.size()) + " saved weight(s)");
    for (size_t i = 0; i < weights.size(); ++i) {
      check_number_kind(weights[i], saved[k], i);
      if (weights[i].keras_shape() != saved[k].values[i].sizes().vec())
        throw ValueError(f.file() + ": Shape mismatch in " + layer_at(k, layer) + " for weight " + weights[i].name +
                         ". " + shapes_differ(weights[i], saved[k].values[i]));
      assignments.pending.emplace_back(weights[i], saved[k].values[i]);
      assignments.layer_names.push_back(layer.name());
    }
  }
  assignments.apply();
}

TL_INLINE void load_weights_from_hdf5_group_by_name(const h5::GroupReader& f, const LayerList& layers, bool skip_mismatch) {
  std::map<std::string, LayerList> index;
  for (const auto& layer : layers) index[layer->name()].push_back(layer);
  Assignments assignments;
  for (const auto& saved : read_saved_layers(f)) {
    const auto named = index.find(saved.name);
    if (named == index.end()) continue;
    for (const auto& layer : named->second) {
      const auto weights = legacy_weights(*layer);
      const std::string where = layer_at(saved.index, *layer);
      if (weights.size() != saved.values.size()) {
        const std::string counts = "Layer expects " + std::to_string(weights.size()) + " weight(s). Received " +
                                   std::to_string(saved.values.size()) + " saved weight(s)";
        if (!skip_mismatch) throw ValueError(f.file() + ": Weight count mismatch for " + where + ". " + counts);
        warn("Skipping loading weights for " + where + " due to mismatch in number of weights. " + counts);
        continue;
      }
      for (size_t i = 0; i < weights.size(); ++i) {
        check_number_kind(weights[i], saved, i);
        if (weights[i].keras_shape() != saved.values[i].sizes().vec()) {
          const std::string shapes = shapes_differ(weights[i], saved.values[i]);
          if (!skip_mismatch)
            throw ValueError(f.file() + ": Shape mismatch in " + where + " for weight " + weights[i].name + ". " + shapes);
          warn("Skipping loading weights for " + where + " due to mismatch in shape for weight " + weights[i].name +
               ". " + shapes);
          continue;
        }
        assignments.pending.emplace_back(weights[i], saved.values[i]);
        assignments.layer_names.push_back(layer->name());
      }
    }
  }
  assignments.apply();
}

TL_INLINE h5::GroupReader weights_group(const h5::FileReader& f) {
  const bool has_layer_names = f.has_attr("layer_names") || f.has_attr("layer_names0");
  if (!has_layer_names && f.has("model_weights")) return f.group("model_weights");
  if (!has_layer_names)
    throw IOError("Unable to load weights from " + f.file() +
                  ": it is not a Keras weights file (no `layer_names` attribute and no `model_weights` group)");
  return f.group("/");
}

}  // namespace detail

TL_INLINE void save_weights_hdf5(const std::filesystem::path& path, const LayerList& layers) {
  detail::write_atomically(path, [&](const std::filesystem::path& temp) {
    auto file = detail::Hdf5FileWriter::create(temp);
    detail::save_weights_to_hdf5_group(file, layers);
    file.close();
  });
}

TL_INLINE void load_weights_hdf5(const std::filesystem::path& path, const LayerList& layers, LoadWeightsOptions options) {
  if (options.skip_mismatch && !options.by_name)
    throw ValueError("When calling model.load_weights, skip_mismatch can only be set to True when by_name is True.");
  const auto file = detail::h5::FileReader::open(path);
  const auto group = detail::weights_group(file);
  if (options.by_name) return detail::load_weights_from_hdf5_group_by_name(group, layers, options.skip_mismatch);
  detail::load_weights_from_hdf5_group(group, layers);
}

TL_INLINE void save_model_hdf5(const std::filesystem::path& path, const std::string& model_config, const LayerList& layers) {
  detail::write_atomically(path, [&](const std::filesystem::path& temp) {
    auto file = detail::Hdf5FileWriter::create(temp);
    file.write_string("backend", "tensorflow", detail::Hdf5Charset::utf8);  // Keras stores these two as str, not bytes
    file.write_string("keras_version", keras_version, detail::Hdf5Charset::utf8);
    file.write_string("model_config", model_config);
    detail::save_weights_to_hdf5_group(file.create_group("model_weights"), layers);
    file.close();
  });
}

TL_INLINE std::string load_model_config_hdf5(const std::filesystem::path& path) {
  const auto file = detail::h5::FileReader::open(path);
  if (!file.has_attr("model_config"))
    throw ValueError("No model config found in the file at " + path.string() + ".");
  const auto config = file.read_strings("model_config");
  if (config.size() != 1) throw ValueError("The `model_config` attribute of " + path.string() + " is not one string");
  return config[0];
}

}  // namespace tl::io
