#pragma once
// Every optimizer tl provides, as `keras.optimizers`, and `get` to build one from its name.
#include <tl/core/registry.hpp>
#include <tl/optimizers/adam.hpp>
#include <tl/optimizers/optimizer.hpp>
#include <tl/optimizers/rmsprop.hpp>
#include <tl/optimizers/sgd.hpp>

#include <memory>
#include <string>

namespace tl::optimizers {

/// Keras's `optimizers.get(name)`: the optimizer with Keras's defaults, the name matched case-insensitively.
///   auto adam = tl::optimizers::get("Adam");  // Adam(learning_rate=0.001, epsilon=1e-7)
inline std::shared_ptr<Optimizer> get(const std::string& name) {
  using detail::named;
  static const std::vector<detail::Named<Optimizer>> table{
      named<Optimizer, Adam>("adam"),
      named<Optimizer, RMSprop>("rmsprop"),
      named<Optimizer, SGD>("sgd"),
  };
  return detail::find_named(table, name, "optimizer", /*ignore_case=*/true);
}

}  // namespace tl::optimizers
