#pragma once
// The `save_freq` argument of ModelCheckpoint and BackupAndRestore: "epoch" or a number of batches.
#include <tl/core/config.hpp>

#include <cstdint>
#include <string>

namespace tl::callbacks {

/// `.save_freq = "epoch"` (after every epoch) or `.save_freq = 100` (every 100 batches).
class SaveFreq {
 public:
  SaveFreq(const char* freq) : SaveFreq(std::string(freq)) {}  // NOLINT: implicit, as Keras's argument
  SaveFreq(const std::string& freq);                           // NOLINT
  SaveFreq(int64_t batches);                                   // NOLINT
  SaveFreq(int batches) : SaveFreq(int64_t(batches)) {}        // NOLINT

  bool per_epoch() const { return batches_ == 0; }
  /// The number of batches between saves (0 for "epoch").
  int64_t batches() const { return batches_; }

 private:
  int64_t batches_ = 0;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/save_freq-inl.hpp>
#endif
