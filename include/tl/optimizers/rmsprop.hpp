#pragma once
// keras.optimizers.RMSprop, including TF's kernels for momentum (epsilon inside the square root there).
#include <tl/optimizers/optimizer.hpp>

namespace tl::optimizers {

/// Keras's RMSprop arguments and defaults.
struct RMSpropOptions {
  double learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
};

/// RMSprop as Keras computes it: ms = rho * ms + (1 - rho) * g^2; var -= lr * g / (sqrt(ms) + eps).
/// Centered subtracts mg^2 (mg = rho * mg + (1 - rho) * g) from ms. With momentum > 0 TF's ApplyRMSProp
/// kernels run instead: mom = momentum * mom + lr * g / sqrt(ms + eps); var -= mom.
///   auto rmsprop = tl::optimizers::RMSprop({.learning_rate = 1e-4, .centered = true});
class RMSprop : public Optimizer {
 public:
  explicit RMSprop(RMSpropOptions options = {}) : Optimizer(options.learning_rate), options_(options) {
    detail::check(options.momentum >= 0 && options.momentum <= 1,
                  "RMSprop: `momentum` must be between [0, 1]. Received: momentum=" +
                      std::to_string(options.momentum));
  }
  std::string name() const override { return "RMSprop"; }
  const RMSpropOptions& options() const { return options_; }

 protected:
  std::vector<std::string> slot_names() const override {
    std::vector<std::string> names{"rms"};
    if (options_.momentum > 0) names.push_back("momentum");
    if (options_.centered) names.push_back("mg");
    return names;
  }

  void update(Group& g) override {
    const double rho = options_.rho, eps = options_.epsilon, lr = learning_rate();
    auto& rms = g.slots["rms"];
    at::_foreach_mul_(rms, rho);
    at::_foreach_addcmul_(rms, g.grads, g.grads, 1 - rho);
    auto denominator = rms;  // the slots themselves unless centered
    if (options_.centered) {
      auto& mg = g.slots["mg"];
      at::_foreach_mul_(mg, rho);
      at::_foreach_add_(mg, g.grads, 1 - rho);
      denominator = at::_foreach_addcmul(rms, mg, mg, -1);
    }
    if (options_.momentum <= 0) {
      denominator = at::_foreach_sqrt(denominator);
      at::_foreach_add_(denominator, eps);
      at::_foreach_addcdiv_(g.params, g.grads, denominator, -lr);
      return;
    }
    denominator = at::_foreach_add(denominator, eps);
    at::_foreach_sqrt_(denominator);
    auto& momentum = g.slots["momentum"];
    at::_foreach_mul_(momentum, options_.momentum);
    at::_foreach_addcdiv_(momentum, g.grads, denominator, lr);
    at::_foreach_sub_(g.params, momentum);
  }

 private:
  RMSpropOptions options_;
};

}  // namespace tl::optimizers
