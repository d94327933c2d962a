#pragma once
// keras.losses.MeanSquaredError.
#include <tl/losses/loss_function_wrapper.hpp>

namespace tl::losses {

/// mean((y_pred - y_true)^2) over the last axis.
///   model.compile({.optimizer = "sgd", .loss = tl::losses::MeanSquaredError()});
class MeanSquaredError : public LossFunctionWrapper {
 public:
  MeanSquaredError();
};

}  // namespace tl::losses

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/mean_squared_error-inl.hpp>
#endif
