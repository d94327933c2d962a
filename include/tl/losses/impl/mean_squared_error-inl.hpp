#pragma once
#include <tl/losses/mean_squared_error.hpp>

namespace tl::losses {

TL_INLINE MeanSquaredError::MeanSquaredError()
    : LossFunctionWrapper("mean_squared_error", [](const torch::Tensor& y_true, const torch::Tensor& y_pred) {
        return (y_pred - y_true).square().mean(-1);
      }) {}

}  // namespace tl::losses
