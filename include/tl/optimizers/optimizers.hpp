#pragma once
// Every optimizer tl provides, as `keras.optimizers`, and `get` to build one from its name.
#include <tl/core/config.hpp>
#include <tl/optimizers/adam.hpp>
#include <tl/optimizers/optimizer.hpp>
#include <tl/optimizers/rmsprop.hpp>
#include <tl/optimizers/sgd.hpp>

#include <memory>
#include <string>

namespace tl::optimizers {

/// Keras's `optimizers.get(name)`: the optimizer with Keras's defaults, the name matched case-insensitively.
///   auto adam = tl::optimizers::get("Adam");  // Adam(learning_rate=0.001, epsilon=1e-7)
std::shared_ptr<Optimizer> get(const std::string& name);

}  // namespace tl::optimizers

#ifdef TL_HEADER_ONLY
#include <tl/optimizers/impl/optimizers-inl.hpp>
#endif
