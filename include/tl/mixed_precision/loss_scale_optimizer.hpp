#pragma once
// keras.mixed_precision.LossScaleOptimizer: float16 gradients underflow to zero unless the loss is scaled up first.
#include <tl/optimizers/optimizer.hpp>

#include <cfloat>
#include <cmath>
#include <memory>

namespace tl::mixed_precision {

/// Keras's LossScaleOptimizer arguments and defaults.
struct LossScaleOptimizerOptions {
  bool dynamic = true;                  ///< adapt the scale: halve it on a non-finite gradient, double it after a run
  double initial_scale = 32768;         ///< 2^15, Keras's default
  int64_t dynamic_growth_steps = 2000;  ///< finite steps in a row before the scale doubles
};

/// Wraps an optimizer for float16 training, as Keras's: the loss is multiplied by `loss_scale()` before backward,
/// the gradients are divided by it before the update, and a step whose gradients are not finite is skipped.
/// `compile` wraps the optimizer itself when the model's policy is "mixed_float16".
///   auto opt = std::make_shared<tl::mixed_precision::LossScaleOptimizer>(tl::optimizers::get("adam"));
///   opt->get_scaled_loss(loss).backward();
///   opt->apply_gradients(params);
class LossScaleOptimizer : public optimizers::Optimizer {
 public:
  explicit LossScaleOptimizer(std::shared_ptr<optimizers::Optimizer> inner, LossScaleOptimizerOptions options = {})
      : Optimizer(0), inner_(std::move(inner)), options_(options), loss_scale_(options.initial_scale) {
    tl::detail::check(inner_ != nullptr, "LossScaleOptimizer: inner_optimizer is required");
    tl::detail::check(!dynamic_cast<LossScaleOptimizer*>(inner_.get()),
                      "LossScaleOptimizer: inner_optimizer is already a LossScaleOptimizer");
    tl::detail::check(std::isfinite(options.initial_scale) && options.initial_scale >= 1 &&
                          options.initial_scale <= FLT_MAX,
                      "LossScaleOptimizer: initial_scale must be a finite number >= 1, got " +
                          std::to_string(options.initial_scale));
    tl::detail::check(options.dynamic_growth_steps >= 1,
                      "LossScaleOptimizer: dynamic_growth_steps must be a positive integer, got " +
                          std::to_string(options.dynamic_growth_steps));
  }

  std::string name() const override { return "LossScaleOptimizer"; }
  double learning_rate() const override { return inner_->learning_rate(); }
  void set_learning_rate(double learning_rate) override { inner_->set_learning_rate(learning_rate); }
  int64_t iterations() const override { return inner_->iterations(); }
  const std::shared_ptr<optimizers::Optimizer>& inner_optimizer() const { return inner_; }
  bool dynamic() const { return options_.dynamic; }
  /// The current loss scale (Keras's `loss_scale`).
  double loss_scale() const { return loss_scale_; }
  /// Finite steps since the scale last changed (Keras's `dynamic_counter`).
  int64_t dynamic_counter() const { return good_steps_; }

  /// `loss * loss_scale()`: call backward on this one.
  torch::Tensor get_scaled_loss(const torch::Tensor& loss) const { return loss * loss_scale_; }

  /// Unscales the gradients and updates with the inner optimizer. A dynamic scale skips the update when a gradient
  /// is inf or NaN (the step still counts, as Keras's) and halves the scale; after `dynamic_growth_steps` finite
  /// steps in a row it doubles it.
  void apply_gradients(const std::vector<torch::Tensor>& params) override {
    const bool finite = unscale_gradients(params);
    if (!options_.dynamic) return inner_->apply_gradients(params);
    if (!finite) {
      for (const auto& p : params) p.mutable_grad().reset();
      inner_->apply_gradients(params);  // no gradient: nothing moves, iterations still advance
      loss_scale_ = std::max(loss_scale_ / 2, 1.0);
      good_steps_ = 0;
      return;
    }
    inner_->apply_gradients(params);
    if (++good_steps_ < options_.dynamic_growth_steps) return;
    good_steps_ = 0;
    if (loss_scale_ * 2 <= FLT_MAX) loss_scale_ *= 2;  // Keras keeps the scale in a float32 variable
  }

  /// The inner optimizer's state, then `current_loss_scale` and `good_steps` (Keras's LossScaleOptimizer weights).
  State get_state() const override {
    auto state = inner_->get_state();
    state.emplace_back("current_loss_scale", torch::tensor(loss_scale_, torch::kDouble));
    state.emplace_back("good_steps", torch::tensor(good_steps_, torch::kInt64));
    return state;
  }
  void set_state(const State& state) override {
    State inner;
    std::optional<double> scale;
    std::optional<int64_t> good;
    for (const auto& [key, value] : state) {
      if (key == "current_loss_scale") scale = value.item<double>();
      else if (key == "good_steps") good = value.item<int64_t>();
      else inner.emplace_back(key, value);
    }
    tl::detail::check(scale && good && std::isfinite(*scale) && *scale >= 1 && *good >= 0,
                      "LossScaleOptimizer.set_state: current_loss_scale (>= 1) and good_steps (>= 0) are required");
    inner_->set_state(inner);
    loss_scale_ = *scale;
    good_steps_ = *good;
  }

 protected:
  std::vector<std::string> slot_names() const override { return {}; }  // the inner optimizer keeps the slots
  void update(Group&) override {}  // never called: apply_gradients hands the update to the inner optimizer

 private:
  /// Divides each gradient by the scale; true when all are finite (one device sync for all of them).
  bool unscale_gradients(const std::vector<torch::Tensor>& params) const {
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> grads;
    for (const auto& p : params)
      if (p.grad().defined()) grads.push_back(p.grad());
    if (grads.empty()) return true;
    at::_foreach_mul_(grads, 1.0 / loss_scale_);
    auto bad = torch::zeros({}, grads[0].options().dtype(torch::kBool));
    for (const auto& g : grads) bad.logical_or_(g.isfinite().logical_not().any());
    return !bad.item<bool>();
  }

  std::shared_ptr<optimizers::Optimizer> inner_;
  LossScaleOptimizerOptions options_;
  double loss_scale_;
  int64_t good_steps_ = 0;
};

}  // namespace tl::mixed_precision
