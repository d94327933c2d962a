#pragma once
#include <tl/core/registry.hpp>
#include <tl/losses/losses.hpp>

#include <vector>

namespace tl::losses {

TL_INLINE std::shared_ptr<Loss> get(const std::string& name) {
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
