#pragma once
// keras.callbacks.ModelCheckpoint: saves the model or its weights during training, every epoch or every
// `save_freq` batches, optionally only when the monitored metric improves. Files are written atomically.
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/detail/format_filepath.hpp>
#include <tl/callbacks/detail/monitor.hpp>
#include <tl/callbacks/save_freq.hpp>
#include <tl/models/serialization.hpp>

#include <filesystem>

namespace tl::callbacks {

/// Keras's keyword arguments of ModelCheckpoint, with Keras's defaults.
struct ModelCheckpointOptions {
  std::string monitor = "val_loss";
  int verbose = 0;
  bool save_best_only = false;
  bool save_weights_only = false;
  std::string mode = "auto";  ///< "auto": max when the name contains "acc" or starts with "fmeasure", else min
  SaveFreq save_freq = "epoch";
};

/// `ModelCheckpoint("weights.{epoch:02d}-{val_loss:.2f}.h5", save_best_only=True)`:
///   tl::callbacks::ModelCheckpoint("best.h5", {.save_best_only = true, .verbose = 1})
/// The file is the whole model (load it with tl::models::load_model) or, with save_weights_only, the weights
/// in Keras's HDF5 layout. A failed write (full disk) throws IOError and leaves the previous file intact.
class ModelCheckpoint : public Callback {
 public:
  explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {})
      : filepath_(std::move(filepath)),
        options_(std::move(options)),
        greater_(detail::maximizes("ModelCheckpoint", options_.mode,
                                   options_.monitor.find("acc") != std::string::npos ||
                                       options_.monitor.rfind("fmeasure", 0) == 0)) {
    best = detail::worst(greater_);
    tl::detail::check(!filepath_.empty(), "ModelCheckpoint: filepath must not be empty");
  }

  void on_epoch_begin(int epoch, const Logs&) override { current_epoch_ = epoch; }
  void on_train_batch_end(int64_t batch, const Logs& logs) override {
    if (should_save_on_batch(batch)) save_model(current_epoch_, batch, logs);
  }
  void on_epoch_end(int epoch, const Logs& logs) override {
    if (options_.save_freq.per_epoch()) save_model(epoch, std::nullopt, logs);
  }

  double best = 0;  ///< best monitored value so far (starts at inf or -inf, as Keras's `best`)

 private:
  bool should_save_on_batch(int64_t batch) {
    if (options_.save_freq.per_epoch()) return false;
    batches_since_save_ += batch <= last_batch_seen_ ? batch + 1 : batch - last_batch_seen_;  // a new epoch restarts at 0
    last_batch_seen_ = batch;
    if (batches_since_save_ < options_.save_freq.batches()) return false;
    batches_since_save_ = 0;
    return true;
  }

  void save_model(int epoch, std::optional<int64_t> batch, const Logs& logs) {
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

  void write(const std::filesystem::path& path) const {
    if (std::filesystem::is_directory(path))
      throw IOError("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing "
                    "directory: " + path.string());
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    if (options_.save_weights_only) io::save_weights_hdf5(path, model().layers());
    else models::save_model(model(), path);
  }

  static std::string fixed5(double v) { return tl::detail::python_format(double(float(v)), false, ".5f"); }

  std::string filepath_;
  ModelCheckpointOptions options_;
  bool greater_;
  int current_epoch_ = 0;
  int64_t batches_since_save_ = 0;
  int64_t last_batch_seen_ = 0;
};

}  // namespace tl::callbacks
