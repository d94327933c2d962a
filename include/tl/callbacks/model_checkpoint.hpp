#pragma once
// keras.callbacks.ModelCheckpoint: saves the model or its weights during training, every epoch or every
// `save_freq` batches, optionally only when the monitored metric improves. Files are written atomically.
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/save_freq.hpp>
#include <tl/core/config.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

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
  explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {});

  TL_INLINE void on_epoch_begin(int epoch, const Logs& logs) override;
  TL_INLINE void on_train_batch_end(int64_t batch, const Logs& logs) override;
  TL_INLINE void on_epoch_end(int epoch, const Logs& logs) override;

  double best = 0;  ///< best monitored value so far (starts at inf or -inf, as Keras's `best`)

 private:
  bool should_save_on_batch(int64_t batch);
  void save_model(int epoch, std::optional<int64_t> batch, const Logs& logs);
  void write(const std::filesystem::path& path) const;
  static std::string fixed5(double v);

  std::string filepath_;
  ModelCheckpointOptions options_;
  bool greater_;
  int current_epoch_ = 0;
  int64_t batches_since_save_ = 0;
  int64_t last_batch_seen_ = 0;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/model_checkpoint-inl.hpp>
#endif
