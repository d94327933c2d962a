#pragma once
#include <tl/core/errors.hpp>
#include <tl/mixed_precision/loss_scale_optimizer.hpp>

#include <torch/utils.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <optional>
#include <utility>

namespace tl::mixed_precision {

TL_INLINE LossScaleOptimizer::LossScaleOptimizer(std::shared_ptr<optimizers::Optimizer> inner,
                                                 LossScaleOptimizerOptions options)
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

TL_INLINE std::string LossScaleOptimizer::name() const { return "LossScaleOptimizer"; }

TL_INLINE double LossScaleOptimizer::learning_rate() const { return inner_->learning_rate(); }

TL_INLINE void LossScaleOptimizer::set_learning_rate(double learning_rate) {
  inner_->set_learning_rate(learning_rate);
}

TL_INLINE int64_t LossScaleOptimizer::iterations() const { return inner_->iterations(); }

TL_INLINE torch::Tensor LossScaleOptimizer::get_scaled_loss(const torch::Tensor& loss) const {
  return loss * loss_scale_;
}

TL_INLINE void LossScaleOptimizer::apply_gradients(const std::vector<torch::Tensor>& params) {
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

TL_INLINE optimizers::Optimizer::State LossScaleOptimizer::get_state() const {
  auto state = inner_->get_state();
  state.emplace_back("current_loss_scale", torch::tensor(loss_scale_, torch::kDouble));
  state.emplace_back("good_steps", torch::tensor(good_steps_, torch::kInt64));
  return state;
}

TL_INLINE void LossScaleOptimizer::set_state(const State& state) {
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

TL_INLINE std::vector<std::string> LossScaleOptimizer::slot_names() const { return {}; }

TL_INLINE void LossScaleOptimizer::update(Group&) {}

TL_INLINE bool LossScaleOptimizer::unscale_gradients(const std::vector<torch::Tensor>& params) const {
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

}  // namespace tl::mixed_precision
