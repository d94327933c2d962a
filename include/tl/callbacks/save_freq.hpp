#pragma once
// The `save_freq` argument of ModelCheckpoint and BackupAndRestore: "epoch" or a number of batches.
#include <tl/core/errors.hpp>

#include <cstdint>
#include <string>

namespace tl::callbacks {

/// `.save_freq = "epoch"` (after every epoch) or `.save_freq = 100` (every 100 batches).
class SaveFreq {
 public:
  SaveFreq(const char* freq) : SaveFreq(std::string(freq)) {}  // NOLINT: implicit, as Keras's argument
  SaveFreq(const std::string& freq) {  // NOLINT
    tl::detail::check(freq == "epoch", "Unrecognized save_freq: " + freq + ". Expected save_freq are 'epoch' or integer");
  }
  SaveFreq(int64_t batches) : batches_(batches) {  // NOLINT
    tl::detail::check(batches > 0, "save_freq must be 'epoch' or a positive number of batches, got " +
                                       std::to_string(batches));
  }
  SaveFreq(int batches) : SaveFreq(int64_t(batches)) {}  // NOLINT

  bool per_epoch() const { return batches_ == 0; }
  /// The number of batches between saves (0 for "epoch").
  int64_t batches() const { return batches_; }

 private:
  int64_t batches_ = 0;
};

}  // namespace tl::callbacks
