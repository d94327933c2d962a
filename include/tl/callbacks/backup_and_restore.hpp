#pragma once
// keras.callbacks.BackupAndRestore: survive a crash or a kill -9. After every epoch the model's weights, the
// optimizer's state and the epoch are backed up in `backup_dir`; the next `fit` with the same callback restores
// them and resumes after the last finished epoch. The backup is deleted once training completes.
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/detail/training_backup.hpp>
#include <tl/callbacks/save_freq.hpp>
#include <tl/models/detail/interrupt.hpp>

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
  explicit BackupAndRestore(std::filesystem::path backup_dir, BackupAndRestoreOptions options = {})
      : backup_dir_(std::move(backup_dir)), options_(std::move(options)) {
    tl::detail::check(!backup_dir_.empty(), "Empty `backup_dir` argument passed");
  }

  /// The backup file inside backup_dir.
  std::filesystem::path backup_path() const { return backup_dir_ / "training_state.h5"; }

  void on_train_begin(const Logs&) override {
    std::filesystem::create_directories(backup_dir_);
    if (!std::filesystem::exists(backup_path())) return;
    const int finished = detail::load_training_backup(backup_path(), model());
    model().resume_epoch = finished + 1;
  }
  void on_epoch_begin(int epoch, const Logs&) override {
    current_epoch_ = epoch;
    batches_since_backup_ = 0;
  }
  void on_train_batch_end(int64_t, const Logs&) override {
    if (options_.save_freq.per_epoch() || ++batches_since_backup_ < options_.save_freq.batches()) return;
    batches_since_backup_ = 0;
    detail::save_training_backup(backup_path(), model(), current_epoch_ - 1);  // this epoch is not finished yet
  }
  void on_epoch_end(int epoch, const Logs&) override { detail::save_training_backup(backup_path(), model(), epoch); }

  void on_train_end(const Logs&) override {
    // Ctrl-C ends fit early but keeps the backup, as Keras keeps it when KeyboardInterrupt escapes fit.
    if (!options_.delete_checkpoint || models::detail::InterruptGuard::requested()) return;
    std::error_code ignored;
    std::filesystem::remove(backup_path(), ignored);
    std::filesystem::remove(backup_dir_, ignored);  // only when empty
  }

 private:
  std::filesystem::path backup_dir_;
  BackupAndRestoreOptions options_;
  int current_epoch_ = 0;
  int64_t batches_since_backup_ = 0;
};

}  // namespace tl::callbacks
