#pragma once
#include <tl/losses/binary_crossentropy.hpp>
#include <tl/losses/losses_utils.hpp>

namespace tl::losses {

TL_INLINE std::string BinaryCrossentropy::name() const { return "binary_crossentropy"; }

TL_INLINE torch::Tensor BinaryCrossentropy::per_sample(const torch::Tensor& y_true, const torch::Tensor& y_pred) const {
  auto target = detail::matched_labels(y_true, y_pred, name());
  if (options_.label_smoothing > 0)
    target = target * (1 - options_.label_smoothing) + 0.5 * options_.label_smoothing;
  return elementwise(target, y_pred).mean(-1);
}

TL_INLINE torch::Tensor BinaryCrossentropy::elementwise(const torch::Tensor& target, const torch::Tensor& y_pred) const {
  // The same stable max(x, 0) - x * z + log(1 + exp(-|x|)) as tf.nn.sigmoid_cross_entropy_with_logits.
  if (options_.from_logits)
    return torch::binary_cross_entropy_with_logits(y_pred, target, {}, {}, at::Reduction::None);
  const auto p = detail::clip_probabilities(y_pred);
  const double eps = detail::backend_epsilon;
  return -(target * torch::log(p + eps) + (1 - target) * torch::log(1 - p + eps));
}

}  // namespace tl::losses
