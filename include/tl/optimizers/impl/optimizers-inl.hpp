#pragma once
#include <tl/core/registry.hpp>
#include <tl/optimizers/optimizers.hpp>

#include <vector>

namespace tl::optimizers {

TL_INLINE std::shared_ptr<Optimizer> get(const std::string& name) {
  using detail::named;
  static const std::vector<detail::Named<Optimizer>> table{
      named<Optimizer, Adam>("adam"),
      named<Optimizer, RMSprop>("rmsprop"),
      named<Optimizer, SGD>("sgd"),
  };
  return detail::find_named(table, name, "optimizer", /*ignore_case=*/true);
}

}  // namespace tl::optimizers
