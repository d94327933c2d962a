#pragma once
// BackupAndRestore's file: the model's weights, the optimizer's state and the last finished epoch in one HDF5
// file, written atomically so a kill at any moment leaves either the previous backup or the new one.
#include <tl/core/config.hpp>

#include <filesystem>

namespace tl::models {
class ModelImpl;
}

namespace tl::callbacks::detail {

/// Saves the training state of `model` after `epoch` (0-based) into `path`: its weights and, once compiled,
/// `model.optimizer()->get_state()`.
/// Layout: `model_weights` (Keras's weights layout), `optimizer_weights/<slot>/<i>`, root attributes
/// `epoch`, `iterations` and `optimizer_weight_names`.
void save_training_backup(const std::filesystem::path& path, models::ModelImpl& model, int epoch);

/// Restores weights and optimizer state (`model.optimizer()->set_state`, once compiled) from `path` into
/// `model`; returns the last finished epoch (0-based). IOError names the file when it is damaged.
int load_training_backup(const std::filesystem::path& path, models::ModelImpl& model);

}  // namespace tl::callbacks::detail

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/detail/impl/training_backup-inl.hpp>
#endif
