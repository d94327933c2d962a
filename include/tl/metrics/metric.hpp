#pragma once
// keras.metrics.Metric: a stateful quantity accumulated batch by batch (update_state / result / reset_state).
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace tl::metrics {

/// Base of every metric. State stays on the tensors' device; only `result()` synchronizes.
///   auto acc = tl::metrics::CategoricalAccuracy();
///   acc.update_state(labels, predictions);
///   double value = acc.result();
class Metric {
 public:
  explicit Metric(std::string name) : name_(std::move(name)) {}
  TL_INLINE virtual ~Metric();
  /// The name the metric is logged under ("accuracy", "acc", "val_" is added by fit).
  const std::string& name() const { return name_; }
  /// Accumulates one batch; `sample_weight`, when given, weights each sample.
  virtual void update_state(const torch::Tensor& y_true, const torch::Tensor& y_pred,
                            const torch::Tensor& sample_weight = {}) = 0;
  /// The value over every batch since the last reset.
  virtual double result() const = 0;
  virtual void reset_state() = 0;
  /// Keras's `metric.variables`: the state tensors `update_state` accumulates into (Mean: total and count), shared
  /// with the metric, not copied. A distributed fit sums them over the workers before `result()`, as Keras sums
  /// metric variables across replicas (ON_READ / SUM). Empty by default (a distributed fit then averages the
  /// workers' results, weighted by their sample counts).
  TL_INLINE virtual std::vector<torch::Tensor> variables();

 private:
  std::string name_;
};

}  // namespace tl::metrics

#ifdef TL_HEADER_ONLY
#include <tl/metrics/impl/metric-inl.hpp>
#endif
