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
  std::string name() const override { return "binary_crossentropy"; }
  const BinaryCrossentropyOptions& options() const { return options_; }

  torch::Tensor per_sample(const torch::Tensor& y_true, const torch::Tensor& y_pred) const override {
    auto target = detail::matched_labels(y_true, y_pred, name());
    if (options_.label_smoothing > 0)
      target = target * (1 - options_.label_smoothing) + 0.5 * options_.label_smoothing;
    return elementwise(target, y_pred).mean(-1);
  }

 private:
  torch::Tensor elementwise(const torch::Tensor& target, const torch::Tensor& y_pred) const {
    // The same stable max(x, 0) - x * z + log(1 + exp(-|x|)) as tf.nn.sigmoid_cross_entropy_with_logits.
    if (options_.from_logits)
      return torch::binary_cross_entropy_with_logits(y_pred, target, {}, {}, at::Reduction::None);
    const auto p = detail::clip_probabilities(y_pred);
    const double eps = detail::backend_epsilon;
    return -(target * torch::log(p + eps) + (1 - target) * torch::log(1 - p + eps));
  }

  BinaryCrossentropyOptions options_;
};

}  // namespace tl::losses
