#pragma once
#include <tl/callbacks/detail/format_filepath.hpp>
#include <tl/callbacks/detail/monitor.hpp>
#include <tl/callbacks/model_checkpoint.hpp>
#include <tl/core/detail/python_format.hpp>
#include <tl/core/errors.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/models/functional.hpp>
#include <tl/models/serialization.hpp>

#include <iostream>
#include <utility>

namespace tl::callbacks {

TL_INLINE ModelCheckpoint::ModelCheckpoint(std::string filepath, ModelCheckpointOptions options)
    : filepath_(std::move(filepath)),
      options_(std::move(options)),
      greater_(detail::maximizes("ModelCheckpoint", options_.mode,
                                 options_.monitor.find("acc") != std::string::npos ||
                                     options_.monitor.rfind("fmeasure", 0) == 0)) {
  best = detail::worst(greater_);
  tl::detail::check(!filepath_.empty(), "ModelCheckpoint: filepath must not be empty");
}

TL_INLINE void ModelCheckpoint::on_epoch_begin(int epoch, const Logs&) { current_epoch_ = epoch; }

TL_INLINE void ModelCheckpoint::on_train_batch_end(int64_t batch, const Logs& logs) {
  if (should_save_on_batch(batch)) save_model(current_epoch_, batch, logs);
}

TL_INLINE void ModelCheckpoint::on_epoch_end(int epoch, const Logs& logs) {
  if (options_.save_freq.per_epoch()) save_model(epoch, std::nullopt, logs);
}

TL_INLINE bool ModelCheckpoint::should_save_on_batch(int64_t batch) {
  if (options_.save_freq.per_epoch()) return false;
  batches_since_save_ += batch <= last_batch_seen_ ? batch + 1 : batch - last_batch_seen_;  // a new epoch restarts at 0
  last_batch_seen_ = batch;
  if (batches_since_save_ < options_.save_freq.batches()) return false;
  batches_since_save_ = 0;
  return true;
}

TL_INLINE void ModelCheckpoint::save_model(int epoch, std::optional<int64_t> batch, const Logs& logs) {
  const auto path = detail::format_filepath(filepath_, epoch + 1, batch ? std::optional(*batch + 1) : std::nullopt, logs);
  const std::string prefix = "\nEpoch " + std::to_string(epoch + 1) + ": ";
  if (!options_.save_best_only) {
    if (options_.verbose > 0) detail::print_msg(prefix + "saving model to " + path);
    return write(path);
  }
  if (!logs.contains(options_.monitor)) {
    std::cerr << "WARNING: Can save best model only with " << options_.monitor << " available, skipping." << std::endl;
    return;
  }
  const double current = logs.at(options_.monitor);
  if (greater_ ? current > best : current < best) {
    if (options_.verbose > 0)
      detail::print_msg(prefix + options_.monitor + " improved from " + fixed5(best) + " to " + fixed5(current) +
                        ", saving model to " + path);
    best = current;
    write(path);
  } else if (options_.verbose > 0) {
    detail::print_msg(prefix + options_.monitor + " did not improve from " + fixed5(best));
  }
}

TL_INLINE void ModelCheckpoint::write(const std::filesystem::path& path) const {
  if (std::filesystem::is_directory(path))
    throw IOError("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing "
                  "directory: " + path.string());
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  if (options_.save_weights_only) io::save_weights_hdf5(path, model().layers());
  else models::save_model(model(), path);
}

TL_INLINE std::string ModelCheckpoint::fixed5(double v) {
  return tl::detail::python_format(double(float(v)), false, ".5f");
}

}  // namespace tl::callbacks
