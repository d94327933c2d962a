#pragma once
// keras.models.load_model for HDF5 files: rebuilds the architecture from `model_config` (Functional or
// Sequential, nested models included) and loads the weights. Files come from `model.save(path)` or from Keras.
#include <tl/core/config.hpp>
#include <tl/models/model.hpp>

#include <filesystem>
#include <string>

namespace tl::models {

/// Rebuilds a model from Keras's `model_config` JSON text (no weights).
Model model_from_json(const std::string& json, const std::string& source = "model_config");

/// Keras's `keras.models.load_model("model.h5")`: the architecture from the file's `model_config` and its weights.
/// A separate program can then `predict`:
///   auto model = tl::models::load_model("model.h5");
///   auto probabilities = model.predict(images);
Model load_model(const std::filesystem::path& path);

}  // namespace tl::models

#ifdef TL_HEADER_ONLY
#include <tl/models/impl/load_model-inl.hpp>
#endif
