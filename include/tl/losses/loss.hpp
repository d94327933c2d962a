#pragma once
// keras.losses.Loss: a per-sample loss function plus Keras's default SUM_OVER_BATCH_SIZE reduction.
#include <tl/core/config.hpp>
#include <tl/losses/losses_utils.hpp>

#include <torch/types.h>

#include <string>

namespace tl::losses {

/// Base of every loss. `loss(y_true, y_pred)` is the scalar Keras's `loss_object(y_true, y_pred)` returns;
/// `per_sample` is the loss function before reduction (Keras's `loss_object.call`).
///   auto loss = tl::losses::get("binary_crossentropy");
///   torch::Tensor value = (*loss)(labels, model->predict(x));
class Loss {
 public:
  TL_INLINE virtual ~Loss();
  /// Keras's default name of the loss: "binary_crossentropy", "mean_squared_error", ...
  virtual std::string name() const = 0;
  /// One loss per sample, shape (N,) for (N, classes) inputs (y_pred's shape without its last axis).
  virtual torch::Tensor per_sample(const torch::Tensor& y_true, const torch::Tensor& y_pred) const = 0;
  /// Mean over the batch of the per-sample losses, each scaled by `sample_weight` when given.
  torch::Tensor operator()(const torch::Tensor& y_true, const torch::Tensor& y_pred,
                           const torch::Tensor& sample_weight = {}) const;
};

}  // namespace tl::losses

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/loss-inl.hpp>
#endif
