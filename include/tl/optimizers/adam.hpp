#pragma once
// keras.optimizers.Adam with TF's update rule (epsilon added to sqrt(v), not to the bias-corrected sqrt).
#include <tl/optimizers/optimizer.hpp>

#include <cmath>

namespace tl::optimizers {

/// Keras's Adam arguments and defaults.
struct AdamOptions {
  double learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
};

/// Adam as Keras computes it: lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t), var -= lr_t * m / (sqrt(v) + eps).
///   model.compile({.optimizer = tl::optimizers::Adam({.learning_rate = 1e-5}), .loss = "binary_crossentropy"});
class Adam : public Optimizer {
 public:
  explicit Adam(AdamOptions options = {}) : Optimizer(options.learning_rate), options_(options) {}
  std::string name() const override { return "Adam"; }
  const AdamOptions& options() const { return options_; }

 protected:
  std::vector<std::string> slot_names() const override {
    if (options_.amsgrad) return {"m", "v", "vhat"};
    return {"m", "v"};
  }

  void update(Group& g) override {
    const auto t = static_cast<double>(g.step);
    const double b1 = options_.beta_1, b2 = options_.beta_2;
    const double alpha = learning_rate() * std::sqrt(1 - std::pow(b2, t)) / (1 - std::pow(b1, t));
    auto& m = g.slots["m"];
    auto& v = g.slots["v"];
    at::_foreach_mul_(m, b1);
    at::_foreach_add_(m, g.grads, 1 - b1);
    at::_foreach_mul_(v, b2);
    at::_foreach_addcmul_(v, g.grads, g.grads, 1 - b2);
    if (options_.amsgrad) at::_foreach_maximum_(g.slots["vhat"], v);
    auto denominator = at::_foreach_sqrt(options_.amsgrad ? g.slots["vhat"] : v);
    at::_foreach_add_(denominator, options_.epsilon);
    at::_foreach_addcdiv_(g.params, m, denominator, -alpha);
  }

 private:
  AdamOptions options_;
};

}  // namespace tl::optimizers
