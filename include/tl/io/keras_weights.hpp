#pragma once
// Keras's legacy HDF5 weights format (keras/saving/legacy/hdf5_format.py): save_weights / load_weights(by_name,
// skip_mismatch) / the weights of a whole-model file, readable by Keras and h5py and read from Keras's files.
#include <tl/core/config.hpp>
#include <tl/io/atomic_write.hpp>
#include <tl/io/detail/h5/reader.hpp>
#include <tl/io/hdf5.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tl {
struct Weight;
namespace layers {
class LayerImpl;
}  // namespace layers
}  // namespace tl

namespace tl::io {

/// The layers whose weights a file holds, in the model's order (`model.layers` in Keras).
using LayerList = std::vector<std::shared_ptr<layers::LayerImpl>>;

/// Keras's keyword arguments of `load_weights` for HDF5 files.
struct LoadWeightsOptions {
  bool by_name = false;        ///< match file layers to model layers by name instead of by order
  bool skip_mismatch = false;  ///< with by_name: skip (with a warning) layers whose weight count or shapes differ
};

/// The Keras version written into files: the format is that of Keras 2.11's `save_weights`.
inline constexpr const char* keras_version = "2.11.0";

namespace detail {

/// Keras's `_legacy_weights`: the order HDF5 files use, trainable weights first, then the others.
std::vector<Weight> legacy_weights(const layers::LayerImpl& layer);

/// Keras's `save_weights_to_hdf5_group`: root attributes, then one group per layer (sorted by name).
void save_weights_to_hdf5_group(const Hdf5GroupWriter& f, const LayerList& layers);

/// Keras's `load_weights_from_hdf5_group`: layers that have weights matched in order to file layers that have them.
void load_weights_from_hdf5_group(const h5::GroupReader& f, const LayerList& layers);

/// Keras's `load_weights_from_hdf5_group_by_name`: each file layer goes to the model layers of the same name.
void load_weights_from_hdf5_group_by_name(const h5::GroupReader& f, const LayerList& layers, bool skip_mismatch);

/// The group holding the weights: the root of a weights file, or `model_weights` in a whole-model file.
h5::GroupReader weights_group(const h5::FileReader& f);

}  // namespace detail

/// Keras's `model.save_weights(path)` in the legacy HDF5 format: root attributes `layer_names`, `backend`,
/// `keras_version`; a group per layer with attribute `weight_names`; float32 datasets `<layer>/<layer>/kernel:0`
/// in Keras's layouts. Written through a temporary file and a rename, so a failed write keeps the previous file.
/// Example: `tl::io::save_weights_hdf5("weights.h5", model->layers());`
void save_weights_hdf5(const std::filesystem::path& path, const LayerList& layers);

/// Keras's `model.load_weights(path, by_name, skip_mismatch)` for HDF5 weight files and whole-model files.
/// Mismatches throw ValueError naming the layer and both shapes; nothing is assigned then.
/// Example: `tl::io::load_weights_hdf5("resnet50_notop.h5", base->layers(), {.by_name = true});`
void load_weights_hdf5(const std::filesystem::path& path, const LayerList& layers, LoadWeightsOptions options = {});

/// Keras's `save_model_to_hdf5` without optimizer state: attributes `backend`, `keras_version`, `model_config`
/// (the JSON the caller gives) and the weights under `model_weights`. Written atomically like save_weights_hdf5.
/// Example: `tl::io::save_model_hdf5("model.h5", config_json, model->layers());`
void save_model_hdf5(const std::filesystem::path& path, const std::string& model_config, const LayerList& layers);

/// The `model_config` JSON of a whole-model file saved by Keras or by save_model_hdf5.
std::string load_model_config_hdf5(const std::filesystem::path& path);

}  // namespace tl::io

#ifdef TL_HEADER_ONLY
#include <tl/io/impl/keras_weights-inl.hpp>
#endif
