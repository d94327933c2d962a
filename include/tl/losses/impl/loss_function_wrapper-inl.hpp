#pragma once
#include <tl/losses/loss_function_wrapper.hpp>
#include <tl/losses/losses_utils.hpp>

namespace tl::losses {

TL_INLINE std::string LossFunctionWrapper::name() const { return name_; }

TL_INLINE torch::Tensor LossFunctionWrapper::per_sample(const torch::Tensor& y_true,
                                                        const torch::Tensor& y_pred) const {
  return fn_(detail::matched_labels(y_true, y_pred, name_), y_pred);
}

}  // namespace tl::losses
