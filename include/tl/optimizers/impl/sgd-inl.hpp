#pragma once
#include <tl/core/errors.hpp>
#include <tl/optimizers/sgd.hpp>

namespace tl::optimizers {

TL_INLINE SGD::SGD(SGDOptions options) : Optimizer(options.learning_rate), options_(options) {
  detail::check(options.momentum >= 0 && options.momentum <= 1,
                "SGD: `momentum` must be between [0, 1]. Received: momentum=" + std::to_string(options.momentum));
}

TL_INLINE std::string SGD::name() const { return "SGD"; }

TL_INLINE std::vector<std::string> SGD::slot_names() const {
  if (options_.momentum > 0) return {"momentum"};
  return {};
}

TL_INLINE void SGD::update(Group& g) {
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

}  // namespace tl::optimizers
