#pragma once
// keras.mixed_precision.LossScaleOptimizer: float16 gradients underflow to zero unless the loss is scaled up first.
#include <tl/optimizers/optimizer.hpp>

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
  explicit LossScaleOptimizer(std::shared_ptr<optimizers::Optimizer> inner, LossScaleOptimizerOptions options = {});

  TL_INLINE std::string name() const override;
  TL_INLINE double learning_rate() const override;
  TL_INLINE void set_learning_rate(double learning_rate) override;
  TL_INLINE int64_t iterations() const override;
  const std::shared_ptr<optimizers::Optimizer>& inner_optimizer() const { return inner_; }
  bool dynamic() const { return options_.dynamic; }
  /// The current loss scale (Keras's `loss_scale`).
  double loss_scale() const { return loss_scale_; }
  /// Finite steps since the scale last changed (Keras's `dynamic_counter`).
  int64_t dynamic_counter() const { return good_steps_; }

  /// `loss * loss_scale()`: call backward on this one.
  torch::Tensor get_scaled_loss(const torch::Tensor& loss) const;

  /// Unscales the gradients and updates with the inner optimizer. A dynamic scale skips the update when a gradient
  /// is inf or NaN (the step still counts, as Keras's) and halves the scale; after `dynamic_growth_steps` finite
  /// steps in a row it doubles it.
  TL_INLINE void apply_gradients(const std::vector<torch::Tensor>& params) override;

  /// The inner optimizer's state, then `current_loss_scale` and `good_steps` (Keras's LossScaleOptimizer weights).
  TL_INLINE State get_state() const override;
  TL_INLINE void set_state(const State& state) override;

 protected:
  TL_INLINE std::vector<std::string> slot_names() const override;  // none: the inner optimizer keeps the slots
  TL_INLINE void update(Group&) override;  // never called: apply_gradients hands the update to the inner optimizer

 private:
  /// Divides each gradient by the scale; true when all are finite (one device sync for all of them).
  bool unscale_gradients(const std::vector<torch::Tensor>& params) const;

  std::shared_ptr<optimizers::Optimizer> inner_;
  LossScaleOptimizerOptions options_;
  double loss_scale_;
  int64_t good_steps_ = 0;
};

}  // namespace tl::mixed_precision

#ifdef TL_HEADER_ONLY
#include <tl/mixed_precision/impl/loss_scale_optimizer-inl.hpp>
#endif
