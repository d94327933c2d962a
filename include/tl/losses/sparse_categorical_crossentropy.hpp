#pragma once
// keras.losses.SparseCategoricalCrossentropy: cross-entropy with integer class labels.
#include <tl/losses/loss.hpp>

namespace tl::losses {

/// Keras's SparseCategoricalCrossentropy arguments and defaults.
struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;
};

/// -log(probability of the labelled class). Labels are class indices, float or integer, shaped like y_pred
/// without its last axis, or with a last axis of 1. From probabilities, Keras's log(clip(y_pred)) is used as
/// logits (so unnormalized rows are normalized after clipping); a label outside [0, classes) is a ValueError.
///   auto loss = tl::losses::SparseCategoricalCrossentropy({.from_logits = true});
class SparseCategoricalCrossentropy : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {}) : options_(options) {}
  std::string name() const override { return "sparse_categorical_crossentropy"; }
  const SparseCategoricalCrossentropyOptions& options() const { return options_; }

  torch::Tensor per_sample(const torch::Tensor& y_true, const torch::Tensor& y_pred) const override {
    const auto labels = class_indices(y_true, y_pred);
    const auto logits = options_.from_logits ? y_pred : torch::log(detail::clip_probabilities(y_pred));
    return -torch::log_softmax(logits, -1).gather(-1, labels.unsqueeze(-1)).squeeze(-1);
  }

 private:
  /// y_true as int64 class indices shaped like y_pred without its last axis, checked against the class count.
  torch::Tensor class_indices(const torch::Tensor& y_true, const torch::Tensor& y_pred) const {
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

  SparseCategoricalCrossentropyOptions options_;
};

}  // namespace tl::losses
