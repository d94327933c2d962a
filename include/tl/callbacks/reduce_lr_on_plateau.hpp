#pragma once
// keras.callbacks.ReduceLROnPlateau: lowers the optimizer's learning rate when a metric has stopped improving.
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/detail/monitor.hpp>
#include <tl/core/detail/python_format.hpp>
#include <tl/models/functional.hpp>

#include <algorithm>

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
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {}) : options_(std::move(options)) {
    tl::detail::check(options_.factor < 1.0, "ReduceLROnPlateau does not support a factor >= 1.0. Got " +
                                                 tl::detail::python_repr(options_.factor));
    greater_ = detail::maximizes("ReduceLROnPlateau", options_.mode, options_.monitor.find("acc") != std::string::npos);
    reset();
  }

  void on_train_begin(const Logs&) override { reset(); }

  void on_epoch_end(int epoch, const Logs& logs) override {
    const auto current = detail::monitor_value(
        logs, options_.monitor,
        "Learning rate reduction is conditioned on metric `" + options_.monitor +
            "` which is not available. Available metrics are: ");
    if (!current) return;
    if (cooldown_counter > 0) {
      --cooldown_counter;
      wait = 0;
    }
    if (greater_ ? *current > best + options_.min_delta : *current < best - options_.min_delta) {
      best = *current;
      wait = 0;
    } else if (cooldown_counter <= 0 && ++wait >= options_.patience) {
      reduce(epoch);
    }
  }

  int wait = 0;
  int cooldown_counter = 0;
  double best = 0;

 private:
  void reset() {
    best = detail::worst(greater_);
    cooldown_counter = 0;
    wait = 0;
  }

  void reduce(int epoch) {
    auto& optimizer = *model().training_state().optimizer;
    const double old_lr = float(optimizer.learning_rate());  // Keras keeps the learning rate in a float32 variable
    if (!(old_lr > double(float(options_.min_lr)))) return;
    const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
    optimizer.set_learning_rate(float(new_lr));
    if (options_.verbose > 0)
      detail::print_msg("\nEpoch " + std::to_string(epoch + 1) + ": ReduceLROnPlateau reducing learning rate to " +
                        tl::detail::python_repr(new_lr) + ".");
    cooldown_counter = options_.cooldown;
    wait = 0;
  }

  ReduceLROnPlateauOptions options_;
  bool greater_ = false;
};

}  // namespace tl::callbacks
