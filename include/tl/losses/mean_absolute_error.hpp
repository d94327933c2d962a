#pragma once
// keras.losses.MeanAbsoluteError.
#include <tl/losses/loss_function_wrapper.hpp>

namespace tl::losses {

/// mean(|y_pred - y_true|) over the last axis.
///   model.compile({.optimizer = "sgd", .loss = tl::losses::MeanAbsoluteError()});
class MeanAbsoluteError : public LossFunctionWrapper {
 public:
  MeanAbsoluteError();
};

}  // namespace tl::losses

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/mean_absolute_error-inl.hpp>
#endif
