#pragma once
// Keras's losses_utils: matching label and weight ranks to predictions, and the SUM_OVER_BATCH_SIZE reduction.
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <string>

namespace tl::detail {

/// Keras's backend.epsilon(): probabilities are clipped to [epsilon, 1 - epsilon] before a log.
inline constexpr double backend_epsilon = 1e-7;

/// Probabilities clipped as Keras clips them before taking a log.
torch::Tensor clip_probabilities(const torch::Tensor& p);

/// A tensor's shape as Keras prints it, e.g. `(32, 2)`.
std::string shape_string(const torch::Tensor& t);

/// y_true brought to y_pred's rank where one has an extra last axis of size 1 (Keras's
/// squeeze_or_expand_dimensions and compile's match_dtype_and_rank), cast to y_pred's dtype and device.
torch::Tensor match_label_rank(torch::Tensor y_true, const torch::Tensor& y_pred);

/// match_label_rank, then ValueError unless y_true and y_pred have the same shape.
torch::Tensor matched_labels(const torch::Tensor& y_true, const torch::Tensor& y_pred, const std::string& who);

/// `sample_weight` cast and expanded to `values`' shape: a trailing axis of size 1 is squeezed or added first,
/// as Keras's squeeze_or_expand_dimensions, then it must broadcast (Keras's broadcast_weights).
torch::Tensor broadcast_weights(torch::Tensor sample_weight, const torch::Tensor& values, const std::string& who);

/// Keras's SUM_OVER_BATCH_SIZE: sum(losses * sample_weight) / number of losses (0 for none).
torch::Tensor compute_weighted_loss(const torch::Tensor& losses, const torch::Tensor& sample_weight,
                                    const std::string& who);

}  // namespace tl::detail

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/losses_utils-inl.hpp>
#endif
