#pragma once
#include <tl/callbacks/backup_and_restore.hpp>
#include <tl/callbacks/detail/training_backup.hpp>
#include <tl/core/errors.hpp>
#include <tl/models/functional.hpp>

#include <system_error>
#include <utility>

namespace tl::callbacks {

TL_INLINE BackupAndRestore::BackupAndRestore(std::filesystem::path backup_dir, BackupAndRestoreOptions options)
    : backup_dir_(std::move(backup_dir)), options_(std::move(options)) {
  tl::detail::check(!backup_dir_.empty(), "Empty `backup_dir` argument passed");
}

TL_INLINE void BackupAndRestore::on_train_begin(const Logs&) {
  std::filesystem::create_directories(backup_dir_);
  if (!std::filesystem::exists(backup_path())) return;
  const int finished = detail::load_training_backup(backup_path(), model());
  model().resume_at_epoch(finished + 1);
}

TL_INLINE void BackupAndRestore::on_epoch_begin(int epoch, const Logs&) {
  current_epoch_ = epoch;
  batches_since_backup_ = 0;
}

TL_INLINE void BackupAndRestore::on_train_batch_end(int64_t, const Logs&) {
  if (options_.save_freq.per_epoch() || ++batches_since_backup_ < options_.save_freq.batches()) return;
  batches_since_backup_ = 0;
  detail::save_training_backup(backup_path(), model(), current_epoch_ - 1);  // this epoch is not finished yet
}

TL_INLINE void BackupAndRestore::on_epoch_end(int epoch, const Logs&) {
  detail::save_training_backup(backup_path(), model(), epoch);
}

TL_INLINE void BackupAndRestore::on_train_end(const Logs&) {
  // Ctrl-C ends fit early but keeps the backup, as Keras keeps it when KeyboardInterrupt escapes fit.
  if (!options_.delete_checkpoint || model().interrupted()) return;
  std::error_code ignored;
  std::filesystem::remove(backup_path(), ignored);
  std::filesystem::remove(backup_dir_, ignored);  // only when empty
}

}  // namespace tl::callbacks
