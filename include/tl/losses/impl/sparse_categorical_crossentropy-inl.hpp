#pragma once
#include <tl/core/errors.hpp>
#include <tl/losses/losses_utils.hpp>
#include <tl/losses/sparse_categorical_crossentropy.hpp>

#include <algorithm>

namespace tl::losses {

TL_INLINE std::string SparseCategoricalCrossentropy::name() const { return "sparse_categorical_crossentropy"; }

TL_INLINE torch::Tensor SparseCategoricalCrossentropy::per_sample(const torch::Tensor& y_true,
                                                                  const torch::Tensor& y_pred) const {
  const auto labels = class_indices(y_true, y_pred);
  const auto logits = options_.from_logits ? y_pred : torch::log(detail::clip_probabilities(y_pred));
  return -torch::log_softmax(logits, -1).gather(-1, labels.unsqueeze(-1)).squeeze(-1);
}

TL_INLINE torch::Tensor SparseCategoricalCrossentropy::class_indices(const torch::Tensor& y_true,
                                                                     const torch::Tensor& y_pred) const {
  const auto expected = y_pred.sizes().slice(0, std::max<int64_t>(y_pred.dim() - 1, 0));
  auto labels = y_true;
  if (labels.dim() == y_pred.dim() && labels.size(-1) == 1) labels = labels.squeeze(-1);
  detail::check(y_pred.dim() >= 1 && labels.sizes() == expected,
                name() + ": y_true of shape " + detail::shape_string(y_true) +
                    " does not hold one class index per row of y_pred of shape " + detail::shape_string(y_pred));
  labels = labels.to(y_pred.device(), torch::kInt64);
  const int64_t classes = y_pred.size(-1);
  if (labels.numel() > 0) {
    const auto outside = (labels < 0) | (labels >= classes);
    if (outside.any().item<bool>())
      throw ValueError(name() + ": Received a label value of " +
                       std::to_string(labels.masked_select(outside)[0].item<int64_t>()) +
                       " which is outside the valid range of [0, " + std::to_string(classes) + ")");
  }
  return labels;
}

}  // namespace tl::losses
