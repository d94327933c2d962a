#pragma once
// keras.optimizers.SGD: plain, momentum and Nesterov gradient descent with Keras's velocity convention.
#include <tl/optimizers/optimizer.hpp>

namespace tl::optimizers {

/// Keras's SGD arguments and defaults.
struct SGDOptions {
  double learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
};

/// SGD as Keras computes it: v = momentum * v - lr * g; var += v (Nesterov: var += momentum * v - lr * g).
///   auto sgd = tl::optimizers::SGD({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
class SGD : public Optimizer {
 public:
  explicit SGD(SGDOptions options = {}) : Optimizer(options.learning_rate), options_(options) {
    detail::check(options.momentum >= 0 && options.momentum <= 1,
                  "SGD: `momentum` must be between [0, 1]. Received: momentum=" + std::to_string(options.momentum));
  }
  std::string name() const override { return "SGD"; }
  const SGDOptions& options() const { return options_; }

 protected:
  std::vector<std::string> slot_names() const override {
    if (options_.momentum > 0) return {"momentum"};
    return {};
  }

  void update(Group& g) override {
    const double lr = learning_rate(), momentum = options_.momentum;
    if (momentum <= 0) {
      at::_foreach_add_(g.params, g.grads, -lr);
      return;
    }
    auto& velocity = g.slots["momentum"];
    at::_foreach_mul_(velocity, momentum);
    at::_foreach_add_(velocity, g.grads, -lr);
    if (options_.nesterov) {
      at::_foreach_add_(g.params, velocity, momentum);
      at::_foreach_add_(g.params, g.grads, -lr);
    } else {
      at::_foreach_add_(g.params, velocity);
    }
  }

 private:
  SGDOptions options_;
};

}  // namespace tl::optimizers
