#pragma once
// keras.metrics.Mean (weighted mean of values) and MeanMetricWrapper (mean of a per-sample function).
#include <tl/core/errors.hpp>
#include <tl/losses/losses_utils.hpp>
#include <tl/metrics/metric.hpp>

#include <functional>
#include <string>
#include <utility>

namespace tl::metrics {

/// Keras's Mean: sum(values * weights) / sum(weights), accumulated in float64 on the values' device.
///   tl::metrics::Mean loss("loss");
///   loss.update(batch_loss, batch_size);   // or loss.update_state(values_tensor, weights_tensor)
///   double mean = loss.result();
class Mean : public Metric {
 public:
  explicit Mean(std::string name = "mean") : Metric(std::move(name)) {}

  /// Adds every element of `values`, weighted by `sample_weight` (broadcast as Keras does) when given.
  void update_state(const torch::Tensor& values, const torch::Tensor& sample_weight = {}) {
    const auto v = values.detach().to(torch::kDouble);
    ensure_state(v.device());
    if (!sample_weight.defined()) {
      total_ += v.sum();
      count_ += static_cast<double>(v.numel());
      return;
    }
    const auto w = detail::broadcast_weights(sample_weight.detach(), v, name());
    total_ += (v * w).sum();
    count_ += w.sum();
  }
  /// Adds one value with the given weight (e.g. a batch's mean loss weighted by the batch size).
  void update(double value, double weight = 1.0) {
    ensure_state(total_.defined() ? total_.device() : torch::Device(torch::kCPU));
    total_ += value * weight;
    count_ += weight;
  }
  /// The weighted mean so far; 0 before any update (Keras's divide_no_nan).
  double result() const override {
    if (!total_.defined()) return 0.0;
    const double count = count_.item<double>();
    return count == 0 ? 0.0 : total_.item<double>() / count;
  }
  void reset_state() override {
    total_ = torch::Tensor();
    count_ = torch::Tensor();
  }

 private:
  /// A Mean takes values, not (y_true, y_pred): through the Metric interface this is a ValueError.
  void update_state(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&) override {
    throw ValueError("Mean '" + name() + "' takes values: call update_state(values, sample_weight)");
  }
  void ensure_state(const torch::Device& device) {
    if (total_.defined() && total_.device() == device) return;
    const auto options = torch::TensorOptions(torch::kDouble).device(device);
    total_ = total_.defined() ? total_.to(options) : torch::zeros({}, options);
    count_ = count_.defined() ? count_.to(options) : torch::zeros({}, options);
  }

  torch::Tensor total_, count_;
};

/// Keras's MeanMetricWrapper: the weighted mean of `fn(y_true, y_pred)`, one value per sample.
///   MeanMetricWrapper mse("mse", [](auto& t, auto& p) { return (p - t).square().mean(-1); });
class MeanMetricWrapper : public Metric {
 public:
  using Fn = std::function<torch::Tensor(const torch::Tensor& y_true, const torch::Tensor& y_pred)>;
  MeanMetricWrapper(std::string name, Fn fn) : Metric(name), fn_(std::move(fn)), mean_(std::move(name)) {}

  void update_state(const torch::Tensor& y_true, const torch::Tensor& y_pred,
                    const torch::Tensor& sample_weight = {}) override {
    torch::NoGradGuard no_grad;
    mean_.update_state(fn_(y_true.detach(), y_pred.detach()), sample_weight);
  }
  double result() const override { return mean_.result(); }
  void reset_state() override { mean_.reset_state(); }

 private:
  Fn fn_;
  Mean mean_;
};

}  // namespace tl::metrics
