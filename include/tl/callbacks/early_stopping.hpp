#pragma once
// keras.callbacks.EarlyStopping: stops training when a monitored metric has stopped improving.
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/detail/monitor.hpp>
#include <tl/models/functional.hpp>

#include <cmath>
#include <optional>

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
  explicit EarlyStopping(EarlyStoppingOptions options = {})
      : options_(std::move(options)),
        greater_(detail::maximizes("EarlyStopping", options_.mode,
                                   detail::ends_with(options_.monitor, "acc") ||
                                       detail::ends_with(options_.monitor, "accuracy") ||
                                       detail::ends_with(options_.monitor, "auc"))),
        min_delta_(greater_ ? std::abs(options_.min_delta) : -std::abs(options_.min_delta)) {
    tl::detail::check(options_.patience >= 0, "EarlyStopping: patience must be >= 0");
  }

  void on_train_begin(const Logs&) override {
    wait = 0;
    stopped_epoch = 0;
    best = detail::worst(greater_);
    best_weights_.clear();
    best_epoch = 0;
  }

  void on_epoch_end(int epoch, const Logs& logs) override {
    const auto current = detail::monitor_value(
        logs, options_.monitor,
        "Early stopping conditioned on metric `" + options_.monitor + "` which is not available. Available metrics are: ");
    if (!current || epoch < options_.start_from_epoch) return;
    if (options_.restore_best_weights && best_weights_.empty()) best_weights_ = model().get_weights();
    ++wait;
    if (is_improvement(*current, best)) {
      best = *current;
      best_epoch = epoch;
      if (options_.restore_best_weights) best_weights_ = model().get_weights();
      if (!options_.baseline || is_improvement(*current, *options_.baseline)) wait = 0;
    }
    if (wait >= options_.patience && epoch > 0) stop(epoch);
  }

  void on_train_end(const Logs&) override {
    if (stopped_epoch > 0 && options_.verbose > 0)
      detail::print_msg("Epoch " + std::to_string(stopped_epoch + 1) + ": early stopping");
  }

  int wait = 0;
  int stopped_epoch = 0;  ///< 0-based epoch at which training stopped; 0 when it ran to the end
  int best_epoch = 0;     ///< 0-based
  double best = 0;

 private:
  bool is_improvement(double value, double reference) const {
    return greater_ ? value - min_delta_ > reference : value - min_delta_ < reference;
  }
  void stop(int epoch) {
    stopped_epoch = epoch;
    model().stop_training = true;
    if (!options_.restore_best_weights || best_weights_.empty()) return;
    if (options_.verbose > 0)
      detail::print_msg("Restoring model weights from the end of the best epoch: " + std::to_string(best_epoch + 1) + ".");
    model().set_weights(best_weights_);
  }

  EarlyStoppingOptions options_;
  bool greater_;
  double min_delta_;
  std::vector<torch::Tensor> best_weights_;
};

}  // namespace tl::callbacks
