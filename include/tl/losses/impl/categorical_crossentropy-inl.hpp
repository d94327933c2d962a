#pragma once
#include <tl/losses/categorical_crossentropy.hpp>
#include <tl/losses/losses_utils.hpp>

namespace tl::losses {

TL_INLINE std::string CategoricalCrossentropy::name() const { return "categorical_crossentropy"; }

TL_INLINE torch::Tensor CategoricalCrossentropy::per_sample(const torch::Tensor& y_true,
                                                            const torch::Tensor& y_pred) const {
  auto target = detail::matched_labels(y_true, y_pred, name());
  if (options_.label_smoothing > 0) {
    const double classes = static_cast<double>(y_pred.size(-1));
    target = target * (1 - options_.label_smoothing) + options_.label_smoothing / classes;
  }
  return -(target * log_probabilities(y_pred)).sum(-1);
}

TL_INLINE torch::Tensor CategoricalCrossentropy::log_probabilities(const torch::Tensor& y_pred) const {
  if (options_.from_logits) return torch::log_softmax(y_pred, -1);
  return torch::log(detail::clip_probabilities(y_pred / y_pred.sum(-1, /*keepdim=*/true)));
}

}  // namespace tl::losses
