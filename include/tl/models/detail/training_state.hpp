#pragma once
// What compile() sets up: optimizer, loss, metrics and the weights training updates. tl's training loop
// (models/impl/training-inl.hpp) reaches it through `detail::training_state(model)`; callbacks use the model's
// public control API instead (ModelImpl::optimizer(), stop_training, resume_at_epoch()).
#include <tl/core/spec.hpp>
#include <tl/losses/loss.hpp>
#include <tl/models/detail/data_parallel.hpp>
#include <tl/metrics/mean.hpp>
#include <tl/metrics/metric.hpp>
#include <tl/optimizers/optimizer.hpp>

#include <memory>
#include <vector>

namespace tl::models {
class ModelImpl;
}

namespace tl::models::detail {

struct TrainingState {
  std::shared_ptr<optimizers::Optimizer> optimizer;
  std::shared_ptr<losses::Loss> loss;
  std::vector<Spec<metrics::Metric>> metric_specs;
  std::vector<std::shared_ptr<metrics::Metric>> metrics;  ///< resolved on the first batch (shapes decide "accuracy")
  std::shared_ptr<metrics::Mean> loss_tracker;
  std::vector<torch::Tensor> trainable;  ///< captured by compile(), as Keras: re-compile after changing `trainable`
  int resume_epoch = -1;  ///< set through ModelImpl::resume_at_epoch during on_train_begin; -1: fit's initial_epoch
  /// This worker's replica when the model was built or compiled under a distribution strategy's scope; null: one
  /// process (tl::distribute).
  std::shared_ptr<DataParallel> data_parallel;
  bool peer_interrupted = false;  ///< another worker got Ctrl-C: this fit stops too (ModelImpl::interrupted())

  bool compiled() const { return optimizer && loss; }
};

/// The training state of `model` (defined in models/impl/functional-inl.hpp).
TrainingState& training_state(ModelImpl& model);
const TrainingState& training_state(const ModelImpl& model);

}  // namespace tl::models::detail
