#pragma once
// keras.metrics.Mean (weighted mean of values) and MeanMetricWrapper (mean of a per-sample function).
#include <tl/metrics/metric.hpp>

#include <functional>
#include <string>

namespace tl::metrics {

/// Keras's Mean: sum(values * weights) / sum(weights), accumulated in float64 on the values' device.
///   tl::metrics::Mean loss("loss");
///   loss.update(batch_loss, batch_size);   // or loss.update_state(values_tensor, weights_tensor)
///   double mean = loss.result();
class Mean : public Metric {
 public:
  explicit Mean(std::string name = "mean");

  /// Adds every element of `values`, weighted by `sample_weight` (broadcast as Keras does) when given.
  void update_state(const torch::Tensor& values, const torch::Tensor& sample_weight = {});
  /// Adds one value with the given weight (e.g. a batch's mean loss weighted by the batch size).
  void update(double value, double weight = 1.0);
  /// The weighted mean so far; 0 before any update (Keras's divide_no_nan).
  TL_INLINE double result() const override;
  TL_INLINE void reset_state() override;
  /// {total, count} (float64 scalars, created on the CPU when no update has happened yet).
  TL_INLINE std::vector<torch::Tensor> variables() override;

 private:
  /// A Mean takes values, not (y_true, y_pred): through the Metric interface this is a ValueError.
  TL_INLINE void update_state(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&) override;
  void ensure_state(const torch::Device& device);

  torch::Tensor total_, count_;
};

/// Keras's MeanMetricWrapper: the weighted mean of `fn(y_true, y_pred)`, one value per sample.
///   MeanMetricWrapper mse("mse", [](auto& t, auto& p) { return (p - t).square().mean(-1); });
class MeanMetricWrapper : public Metric {
 public:
  using Fn = std::function<torch::Tensor(const torch::Tensor& y_true, const torch::Tensor& y_pred)>;
  MeanMetricWrapper(std::string name, Fn fn);

  void update_state(const torch::Tensor& y_true, const torch::Tensor& y_pred,
                    const torch::Tensor& sample_weight = {}) override;
  TL_INLINE double result() const override;
  TL_INLINE void reset_state() override;
  TL_INLINE std::vector<torch::Tensor> variables() override;

 private:
  Fn fn_;
  Mean mean_;
};

}  // namespace tl::metrics

#ifdef TL_HEADER_ONLY
#include <tl/metrics/impl/mean-inl.hpp>
#endif
