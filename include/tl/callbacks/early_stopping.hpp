#pragma once
// keras.callbacks.EarlyStopping: stops training when a monitored metric has stopped improving.
#include <tl/callbacks/callback.hpp>
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <optional>
#include <string>
#include <vector>

namespace tl::callbacks {

/// Keras's keyword arguments of EarlyStopping, with Keras's defaults.
struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0;
  int patience = 0;
  int verbose = 0;
  std::string mode = "auto";  ///< "auto": max for names ending in acc/accuracy/auc, else min
  std::optional<double> baseline = std::nullopt;
  bool restore_best_weights = false;
  int start_from_epoch = 0;
};

/// `EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)`:
///   model.fit(train, {.epochs = 50, .callbacks = {tl::callbacks::EarlyStopping({.patience = 3})}});
/// Prints "Epoch 5: early stopping" (verbose) as Keras does; after fit, `stopped_epoch` and `best_epoch`
/// are 0-based as in Keras (give the callback as a shared_ptr to read them).
class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});

  TL_INLINE void on_train_begin(const Logs& logs) override;
  TL_INLINE void on_epoch_end(int epoch, const Logs& logs) override;
  TL_INLINE void on_train_end(const Logs& logs) override;

  int wait = 0;
  int stopped_epoch = 0;  ///< 0-based epoch at which training stopped; 0 when it ran to the end
  int best_epoch = 0;     ///< 0-based
  double best = 0;

 private:
  bool is_improvement(double value, double reference) const;
  void stop(int epoch);

  EarlyStoppingOptions options_;
  bool greater_;
  double min_delta_;
  std::vector<torch::Tensor> best_weights_;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/early_stopping-inl.hpp>
#endif
