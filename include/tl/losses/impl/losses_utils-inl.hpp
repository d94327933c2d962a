#pragma once
#include <tl/core/errors.hpp>
#include <tl/core/shape.hpp>
#include <tl/losses/losses_utils.hpp>

namespace tl::detail {

TL_INLINE torch::Tensor clip_probabilities(const torch::Tensor& p) {
  return p.clamp(backend_epsilon, 1 - backend_epsilon);
}

TL_INLINE std::string shape_string(const torch::Tensor& t) { return to_string(t.sizes().vec()); }

TL_INLINE torch::Tensor match_label_rank(torch::Tensor y_true, const torch::Tensor& y_pred) {
  if (y_pred.dim() == y_true.dim() + 1 && y_pred.size(-1) == 1) y_true = y_true.unsqueeze(-1);
  if (y_true.dim() == y_pred.dim() + 1 && y_true.size(-1) == 1) y_true = y_true.squeeze(-1);
  return y_true.to(y_pred.device(), y_pred.scalar_type());
}

TL_INLINE torch::Tensor matched_labels(const torch::Tensor& y_true, const torch::Tensor& y_pred,
                                       const std::string& who) {
  auto matched = match_label_rank(y_true, y_pred);
  check(matched.sizes() == y_pred.sizes(), who + ": y_true and y_pred have incompatible shapes " +
                                               shape_string(y_true) + " and " + shape_string(y_pred));
  return matched;
}

TL_INLINE torch::Tensor broadcast_weights(torch::Tensor sample_weight, const torch::Tensor& values,
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

TL_INLINE torch::Tensor compute_weighted_loss(const torch::Tensor& losses, const torch::Tensor& sample_weight,
                                              const std::string& who) {
  const auto weighted = sample_weight.defined() ? losses * broadcast_weights(sample_weight, losses, who) : losses;
  if (weighted.numel() == 0) return weighted.sum();
  return weighted.sum() / static_cast<double>(weighted.numel());
}

}  // namespace tl::detail
