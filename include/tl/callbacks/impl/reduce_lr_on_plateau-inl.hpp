#pragma once
#include <tl/callbacks/detail/monitor.hpp>
#include <tl/callbacks/reduce_lr_on_plateau.hpp>
#include <tl/core/detail/python_format.hpp>
#include <tl/core/errors.hpp>
#include <tl/models/functional.hpp>
#include <tl/optimizers/optimizer.hpp>

#include <algorithm>
#include <utility>

namespace tl::callbacks {

TL_INLINE ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options) : options_(std::move(options)) {
  tl::detail::check(options_.factor < 1.0, "ReduceLROnPlateau does not support a factor >= 1.0. Got " +
                                               tl::detail::python_repr(options_.factor));
  greater_ = detail::maximizes("ReduceLROnPlateau", options_.mode, options_.monitor.find("acc") != std::string::npos);
  reset();
}

TL_INLINE void ReduceLROnPlateau::on_train_begin(const Logs&) { reset(); }

TL_INLINE void ReduceLROnPlateau::on_epoch_end(int epoch, const Logs& logs) {
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

TL_INLINE void ReduceLROnPlateau::reset() {
  best = detail::worst(greater_);
  cooldown_counter = 0;
  wait = 0;
}

TL_INLINE void ReduceLROnPlateau::reduce(int epoch) {
  auto& optimizer = *model().optimizer();
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

}  // namespace tl::callbacks
