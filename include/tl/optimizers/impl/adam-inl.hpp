#pragma once
#include <tl/optimizers/adam.hpp>

#include <cmath>

namespace tl::optimizers {

TL_INLINE std::string Adam::name() const { return "Adam"; }

TL_INLINE std::vector<std::string> Adam::slot_names() const {
  if (options_.amsgrad) return {"m", "v", "vhat"};
  return {"m", "v"};
}

TL_INLINE void Adam::update(Group& g) {
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

}  // namespace tl::optimizers
