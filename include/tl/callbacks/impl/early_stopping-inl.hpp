#pragma once
#include <tl/callbacks/detail/monitor.hpp>
#include <tl/callbacks/early_stopping.hpp>
#include <tl/core/errors.hpp>
#include <tl/models/functional.hpp>

#include <cmath>
#include <utility>

namespace tl::callbacks {

TL_INLINE EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : options_(std::move(options)),
      greater_(detail::maximizes("EarlyStopping", options_.mode,
                                 detail::ends_with(options_.monitor, "acc") ||
                                     detail::ends_with(options_.monitor, "accuracy") ||
                                     detail::ends_with(options_.monitor, "auc"))),
      min_delta_(greater_ ? std::abs(options_.min_delta) : -std::abs(options_.min_delta)) {
  tl::detail::check(options_.patience >= 0, "EarlyStopping: patience must be >= 0");
}

TL_INLINE void EarlyStopping::on_train_begin(const Logs&) {
  wait = 0;
  stopped_epoch = 0;
  best = detail::worst(greater_);
  best_weights_.clear();
  best_epoch = 0;
}

TL_INLINE void EarlyStopping::on_epoch_end(int epoch, const Logs& logs) {
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

TL_INLINE void EarlyStopping::on_train_end(const Logs&) {
  if (stopped_epoch > 0 && options_.verbose > 0)
    detail::print_msg("Epoch " + std::to_string(stopped_epoch + 1) + ": early stopping");
}

TL_INLINE bool EarlyStopping::is_improvement(double value, double reference) const {
  return greater_ ? value - min_delta_ > reference : value - min_delta_ < reference;
}

TL_INLINE void EarlyStopping::stop(int epoch) {
  stopped_epoch = epoch;
  model().stop_training = true;
  if (!options_.restore_best_weights || best_weights_.empty()) return;
  if (options_.verbose > 0)
    detail::print_msg("Restoring model weights from the end of the best epoch: " + std::to_string(best_epoch + 1) + ".");
  model().set_weights(best_weights_);
}

}  // namespace tl::callbacks
