#pragma once
// keras.callbacks.ReduceLROnPlateau: lowers the optimizer's learning rate when a metric has stopped improving.
#include <tl/callbacks/callback.hpp>
#include <tl/core/config.hpp>

#include <string>

namespace tl::callbacks {

/// Keras's keyword arguments of ReduceLROnPlateau, with Keras's defaults.
struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;
  int patience = 10;
  int verbose = 0;
  std::string mode = "auto";  ///< "auto": max when the name contains "acc", else min
  double min_delta = 1e-4;
  int cooldown = 0;
  double min_lr = 0;
};

/// `ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=0.001)`:
///   tl::callbacks::ReduceLROnPlateau({.factor = 0.2, .patience = 5, .min_lr = 0.001})
/// Prints Keras's "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.00010000000474974513." (verbose).
class ReduceLROnPlateau : public Callback {
 public:
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});

  TL_INLINE void on_train_begin(const Logs& logs) override;
  TL_INLINE void on_epoch_end(int epoch, const Logs& logs) override;

  int wait = 0;
  int cooldown_counter = 0;
  double best = 0;

 private:
  void reset();
  void reduce(int epoch);

  ReduceLROnPlateauOptions options_;
  bool greater_ = false;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/reduce_lr_on_plateau-inl.hpp>
#endif
