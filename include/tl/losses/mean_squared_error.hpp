#pragma once
// keras.losses.MeanSquaredError.
#include <tl/losses/loss_function_wrapper.hpp>

namespace tl::losses {

/// mean((y_pred - y_true)^2) over the last axis.
///   model.compile({.optimizer = "sgd", .loss = tl::losses::MeanSquaredError()});
class MeanSquaredError : public LossFunctionWrapper {
 public:
  MeanSquaredError()
      : LossFunctionWrapper("mean_squared_error", [](const torch::Tensor& y_true, const torch::Tensor& y_pred) {
          return (y_pred - y_true).square().mean(-1);
        }) {}
};

}  // namespace tl::losses
