#pragma once
#include <tl/core/errors.hpp>
#include <tl/optimizers/rmsprop.hpp>

namespace tl::optimizers {

TL_INLINE RMSprop::RMSprop(RMSpropOptions options) : Optimizer(options.learning_rate), options_(options) {
  detail::check(options.momentum >= 0 && options.momentum <= 1,
                "RMSprop: `momentum` must be between [0, 1]. Received: momentum=" + std::to_string(options.momentum));
}

TL_INLINE std::string RMSprop::name() const { return "RMSprop"; }

TL_INLINE std::vector<std::string> RMSprop::slot_names() const {
  std::vector<std::string> names{"rms"};
  if (options_.momentum > 0) names.push_back("momentum");
  if (options_.centered) names.push_back("mg");
  return names;
}

TL_INLINE void RMSprop::update(Group& g) {
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

}  // namespace tl::optimizers
