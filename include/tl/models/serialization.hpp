#pragma once
// A model's architecture as Keras's `model_config` JSON (Keras 2.11's get_network_config), and `save_model`:
// the config and the weights in one HDF5 file, as Keras's `model.save("model.h5")`.
#include <tl/core/config.hpp>
#include <tl/core/json_fwd.hpp>

#include <filesystem>
#include <string>

namespace tl::layers {
class LayerImpl;
}

namespace tl::models {

class ModelImpl;

/// Keras's `serialize_keras_object(layer)`: {"class_name": "Dense", "config": {...}}; a model's config is its
/// whole graph (nested models nest). Include <tl/core/json.hpp> to read the value.
json layer_config(const layers::LayerImpl& layer);

/// The `model_config` JSON text Keras writes into a whole-model file.
std::string model_to_json(const ModelImpl& model);

/// Keras's `model.save("model.h5")` (HDF5, without optimizer state): the architecture as `model_config` and the
/// weights under `model_weights`, written atomically. Load it with tl::models::load_model.
void save_model(const ModelImpl& model, const std::filesystem::path& path);

}  // namespace tl::models

#ifdef TL_HEADER_ONLY
#include <tl/models/impl/serialization-inl.hpp>
#endif
