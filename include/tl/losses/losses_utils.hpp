#pragma once
// Keras's losses_utils: matching label and weight ranks to predictions, and the SUM_OVER_BATCH_SIZE reduction.
#include <tl/core/errors.hpp>
#include <tl/core/shape.hpp>

#include <torch/torch.h>

#include <string>

namespace tl::detail {

/// Keras's backend.epsilon(): probabilities are clipped to [epsilon, 1 - epsilon] before a log.
inline constexpr double backend_epsilon = 1e-7;

/// Probabilities clipped as Keras clips them before taking a log.
inline torch::Tensor clip_probabilities(const torch::Tensor& p) {
  return p.clamp(backend_epsilon, 1 - backend_epsilon);
}

/// A tensor's shape as Keras prints it, e.g. `(32, 2)`.
inline std::string shape_string(const torch::Tensor& t) { return to_string(t.sizes().vec()); }

/// y_true brought to y_pred's rank where one has an extra last axis of size 1 (Keras's
/// squeeze_or_expand_dimensions and compile's match_dtype_and_rank), cast to y_pred's dtype and device.
inline torch::Tensor match_label_rank(torch::Tensor y_true, const torch::Tensor& y_pred) {
  if (y_pred.dim() == y_true.dim() + 1 && y_pred.size(-1) == 1) y_true = y_true.unsqueeze(-1);
  if (y_true.dim() == y_pred.dim() + 1 && y_true.size(-1) == 1) y_true = y_true.squeeze(-1);
  return y_true.to(y_pred.device(), y_pred.scalar_type());
}

/// match_label_rank, then ValueError unless y_true and y_pred have the same shape.
inline torch::Tensor matched_labels(const torch::Tensor& y_true, const torch::Tensor& y_pred, const std::string& who) {
  auto matched = match_label_rank(y_true, y_pred);
  check(matched.sizes() == y_pred.sizes(), who + ": y_true and y_pred have incompatible shapes " +
                                               shape_string(y_true) + " and " + shape_string(y_pred));
  return matched;
}

/// `sample_weight` cast and expanded to `values`' shape: a trailing axis of size 1 is squeezed or added first,
/// as Keras's squeeze_or_expand_dimensions, then it must broadcast (Keras's broadcast_weights).
inline torch::Tensor broadcast_weights(torch::Tensor sample_weight, const torch::Tensor& values,
                                       const std::string& who) {
  sample_weight = sample_weight.to(values.device(), values.scalar_type());
  if (sample_weight.dim() > 0) {
    if (sample_weight.dim() == values.dim() + 1 && sample_weight.size(-1) == 1) sample_weight = sample_weight.squeeze(-1);
    if (values.dim() == sample_weight.dim() + 1) sample_weight = sample_weight.unsqueeze(-1);
  }
  bool fits = sample_weight.dim() <= values.dim();
  for (int64_t i = 1; fits && i <= sample_weight.dim(); ++i)
    fits = sample_weight.size(-i) == 1 || sample_weight.size(-i) == values.size(-i);
  check(fits, who + ": sample_weight of shape " + shape_string(sample_weight) +
                  " cannot be broadcast to the values' shape " + shape_string(values));
  return sample_weight.expand(values.sizes());
}

/// Keras's SUM_OVER_BATCH_SIZE: sum(losses * sample_weight) / number of losses (0 for none).
inline torch::Tensor compute_weighted_loss(const torch::Tensor& losses, const torch::Tensor& sample_weight,
                                           const std::string& who) {
  const auto weighted = sample_weight.defined() ? losses * broadcast_weights(sample_weight, losses, who) : losses;
  if (weighted.numel() == 0) return weighted.sum();
  return weighted.sum() / static_cast<double>(weighted.numel());
}

}  // namespace tl::detail
