#pragma once
#include <tl/losses/loss.hpp>
#include <tl/losses/losses_utils.hpp>

namespace tl::losses {

TL_INLINE Loss::~Loss() = default;

TL_INLINE torch::Tensor Loss::operator()(const torch::Tensor& y_true, const torch::Tensor& y_pred,
                                         const torch::Tensor& sample_weight) const {
  return detail::compute_weighted_loss(per_sample(y_true, y_pred), sample_weight, name());
}

}  // namespace tl::losses
