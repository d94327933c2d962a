#pragma once
// Every loss tl provides, as `keras.losses`, and `get` to build one from its Keras name.
#include <tl/core/registry.hpp>
#include <tl/losses/binary_crossentropy.hpp>
#include <tl/losses/categorical_crossentropy.hpp>
#include <tl/losses/loss.hpp>
#include <tl/losses/loss_function_wrapper.hpp>
#include <tl/losses/mean_absolute_error.hpp>
#include <tl/losses/mean_squared_error.hpp>
#include <tl/losses/sparse_categorical_crossentropy.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tl::losses {

/// Keras's `losses.get(name)`: function names ("binary_crossentropy", "mse", "MAE", ...) and class names
/// ("BinaryCrossentropy", ...), matched exactly as Keras does; unknown names throw ValueError listing the known.
///   auto loss = tl::losses::get("categorical_crossentropy");
inline std::shared_ptr<Loss> get(const std::string& name) {
  using detail::named;
  static const std::vector<detail::Named<Loss>> table{
      named<Loss, BinaryCrossentropy>("binary_crossentropy"),
      named<Loss, CategoricalCrossentropy>("categorical_crossentropy"),
      named<Loss, SparseCategoricalCrossentropy>("sparse_categorical_crossentropy"),
      named<Loss, MeanSquaredError>("mean_squared_error"),
      named<Loss, MeanSquaredError>("mse"),
      named<Loss, MeanSquaredError>("MSE"),
      named<Loss, MeanAbsoluteError>("mean_absolute_error"),
      named<Loss, MeanAbsoluteError>("mae"),
      named<Loss, MeanAbsoluteError>("MAE"),
      named<Loss, BinaryCrossentropy>("BinaryCrossentropy"),
      named<Loss, CategoricalCrossentropy>("CategoricalCrossentropy"),
      named<Loss, SparseCategoricalCrossentropy>("SparseCategoricalCrossentropy"),
      named<Loss, MeanSquaredError>("MeanSquaredError"),
      named<Loss, MeanAbsoluteError>("MeanAbsoluteError"),
  };
  return detail::find_named(table, name, "loss function");
}

}  // namespace tl::losses
