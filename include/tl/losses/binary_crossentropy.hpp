#pragma once
// keras.losses.BinaryCrossentropy: mean over the last axis of the element-wise binary cross-entropy.
#include <tl/losses/loss.hpp>

namespace tl::losses {

/// Keras's BinaryCrossentropy arguments and defaults.
struct BinaryCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
};

/// Binary cross-entropy averaged over the last axis, so Dense(2, softmax) with one-hot labels works as in Keras.
/// Probabilities are clipped to [1e-7, 1 - 1e-7] and Keras's extra epsilon inside the log is kept.
///   auto bce = tl::losses::BinaryCrossentropy({.from_logits = true});
class BinaryCrossentropy : public Loss {
 public:
  explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {}) : options_(options) {}
  TL_INLINE std::string name() const override;
  const BinaryCrossentropyOptions& options() const { return options_; }
  TL_INLINE torch::Tensor per_sample(const torch::Tensor& y_true, const torch::Tensor& y_pred) const override;

 private:
  torch::Tensor elementwise(const torch::Tensor& target, const torch::Tensor& y_pred) const;

  BinaryCrossentropyOptions options_;
};

}  // namespace tl::losses

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/binary_crossentropy-inl.hpp>
#endif
