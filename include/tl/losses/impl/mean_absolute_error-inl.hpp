#pragma once
#include <tl/losses/mean_absolute_error.hpp>

namespace tl::losses {

TL_INLINE MeanAbsoluteError::MeanAbsoluteError()
    : LossFunctionWrapper("mean_absolute_error", [](const torch::Tensor& y_true, const torch::Tensor& y_pred) {
        return (y_pred - y_true).abs().mean(-1);
      }) {}

}  // namespace tl::losses
