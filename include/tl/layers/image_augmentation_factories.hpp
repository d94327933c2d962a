#pragma once
// Keras's `deserialize(config)` for the augmentation layers (image_augmentation.hpp): class_name -> a factory
// building the layer from its get_config(). Kept beside the augmentation layers; tl::layers::deserialize (and so
// tl::models::load_model) takes every entry into its table.
#include <tl/core/config.hpp>
#include <tl/core/json_fwd.hpp>
#include <tl/layers/layer.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tl::layers {

/// A factory building a layer from a Keras layer config (the "config" object of a model_config entry).
using ConfigFactory = std::function<std::shared_ptr<LayerImpl>(const json& config)>;

/// ("RandomFlip", factory), ("RandomRotation", ...), ("RandomZoom", ...), ("RandomTranslation", ...),
/// ("RandomContrast", ...), ("RandomCrop", ...). Configs written by tf.keras 2.x load too (their "seed" may be absent
/// or null; RandomFlip's has none in 2.11).
const std::vector<std::pair<std::string, ConfigFactory>>& image_augmentation_factories();

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/image_augmentation_factories-inl.hpp>
#endif
