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
  TL_INLINE std::string name() const override;
  const SparseCategoricalCrossentropyOptions& options() const { return options_; }
  TL_INLINE torch::Tensor per_sample(const torch::Tensor& y_true, const torch::Tensor& y_pred) const override;

 private:
  /// y_true as int64 class indices shaped like y_pred without its last axis, checked against the class count.
  torch::Tensor class_indices(const torch::Tensor& y_true, const torch::Tensor& y_pred) const;

  SparseCategoricalCrossentropyOptions options_;
};

}  // namespace tl::losses

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/sparse_categorical_crossentropy-inl.hpp>
#endif
