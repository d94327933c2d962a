#pragma once
// keras.callbacks.BackupAndRestore: survive a crash or a kill -9. After every epoch the model's weights, the
// optimizer's state and the epoch are backed up in `backup_dir`; the next `fit` with the same callback restores
// them and resumes after the last finished epoch. The backup is deleted once training completes.
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/save_freq.hpp>
#include <tl/core/config.hpp>

#include <cstdint>
#include <filesystem>

namespace tl::callbacks {

/// Keras's keyword arguments of BackupAndRestore.
struct BackupAndRestoreOptions {
  /// "epoch", or a number of batches: then the backup is also taken mid-epoch and the resumed fit restarts that
  /// epoch (from its first batch) with the weights of the backup.
  SaveFreq save_freq = "epoch";
  bool delete_checkpoint = true;  ///< delete the backup when training completes (not when interrupted)
};

/// `BackupAndRestore(backup_dir="/tmp/backup")`: run the same script again after a crash and training resumes.
///   model.fit(train, {.epochs = 10, .callbacks = {tl::callbacks::BackupAndRestore("/tmp/backup")}});
class BackupAndRestore : public Callback {
 public:
  explicit BackupAndRestore(std::filesystem::path backup_dir, BackupAndRestoreOptions options = {});

  /// The backup file inside backup_dir.
  std::filesystem::path backup_path() const { return backup_dir_ / "training_state.h5"; }

  TL_INLINE void on_train_begin(const Logs& logs) override;
  TL_INLINE void on_epoch_begin(int epoch, const Logs& logs) override;
  TL_INLINE void on_train_batch_end(int64_t batch, const Logs& logs) override;
  TL_INLINE void on_epoch_end(int epoch, const Logs& logs) override;
  TL_INLINE void on_train_end(const Logs& logs) override;

 private:
  std::filesystem::path backup_dir_;
  BackupAndRestoreOptions options_;
  int current_epoch_ = 0;
  int64_t batches_since_backup_ = 0;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/backup_and_restore-inl.hpp>
#endif
