#pragma once
// What compile() sets up: optimizer, loss, metrics and the weights training updates.
#include <tl/models/options.hpp>

namespace tl::models::detail {

struct TrainingState {
  std::shared_ptr<optimizers::Optimizer> optimizer;
  std::shared_ptr<losses::Loss> loss;
  std::vector<Spec<metrics::Metric>> metric_specs;
  std::vector<std::shared_ptr<metrics::Metric>> metrics;  ///< resolved on the first batch (shapes decide "accuracy")
  std::shared_ptr<metrics::Mean> loss_tracker;
  std::vector<torch::Tensor> trainable;  ///< captured by compile(), as Keras: re-compile after changing `trainable`

  bool compiled() const { return optimizer && loss; }
};

}  // namespace tl::models::detail
