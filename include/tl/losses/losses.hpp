#pragma once
// Every loss tl provides, as `keras.losses`, and `get` to build one from its Keras name.
#include <tl/core/config.hpp>
#include <tl/losses/binary_crossentropy.hpp>
#include <tl/losses/categorical_crossentropy.hpp>
#include <tl/losses/loss.hpp>
#include <tl/losses/loss_function_wrapper.hpp>
#include <tl/losses/mean_absolute_error.hpp>
#include <tl/losses/mean_squared_error.hpp>
#include <tl/losses/sparse_categorical_crossentropy.hpp>

#include <memory>
#include <string>

namespace tl::losses {

/// Keras's `losses.get(name)`: function names ("binary_crossentropy", "mse", "MAE", ...) and class names
/// ("BinaryCrossentropy", ...), matched exactly as Keras does; unknown names throw ValueError listing the known.
///   auto loss = tl::losses::get("categorical_crossentropy");
std::shared_ptr<Loss> get(const std::string& name);

}  // namespace tl::losses

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/losses-inl.hpp>
#endif
