#pragma once
// keras.losses.MeanAbsoluteError.
#include <tl/losses/loss_function_wrapper.hpp>

namespace tl::losses {

/// mean(|y_pred - y_true|) over the last axis.
///   model.compile({.optimizer = "sgd", .loss = tl::losses::MeanAbsoluteError()});
class MeanAbsoluteError : public LossFunctionWrapper {
 public:
  MeanAbsoluteError()
      : LossFunctionWrapper("mean_absolute_error", [](const torch::Tensor& y_true, const torch::Tensor& y_pred) {
          return (y_pred - y_true).abs().mean(-1);
        }) {}
};

}  // namespace tl::losses
