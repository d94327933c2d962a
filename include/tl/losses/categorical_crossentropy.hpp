#pragma once
// keras.losses.CategoricalCrossentropy: cross-entropy between one-hot labels and class probabilities.
#include <tl/losses/loss.hpp>

namespace tl::losses {

/// Keras's CategoricalCrossentropy arguments and defaults.
struct CategoricalCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
};

/// -sum(y_true * log(y_pred)) over the last axis. From probabilities, y_pred is first divided by its sum over
/// the last axis and clipped to [1e-7, 1 - 1e-7], as Keras does; from logits, a stable log-softmax.
///   auto cce = tl::losses::CategoricalCrossentropy({.label_smoothing = 0.1});
class CategoricalCrossentropy : public Loss {
 public:
  explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {}) : options_(options) {}
  TL_INLINE std::string name() const override;
  const CategoricalCrossentropyOptions& options() const { return options_; }
  TL_INLINE torch::Tensor per_sample(const torch::Tensor& y_true, const torch::Tensor& y_pred) const override;

 private:
  torch::Tensor log_probabilities(const torch::Tensor& y_pred) const;

  CategoricalCrossentropyOptions options_;
};

}  // namespace tl::losses

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/categorical_crossentropy-inl.hpp>
#endif
