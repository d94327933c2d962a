#pragma once
#include <tl/core/errors.hpp>
#include <tl/losses/losses_utils.hpp>
#include <tl/metrics/mean.hpp>

#include <torch/utils.h>

#include <utility>

namespace tl::metrics {

TL_INLINE Mean::Mean(std::string name) : Metric(std::move(name)) {}

TL_INLINE void Mean::update_state(const torch::Tensor& values, const torch::Tensor& sample_weight) {
  const auto v = values.detach().to(torch::kDouble);
  ensure_state(v.device());
  if (!sample_weight.defined()) {
    total_ += v.sum();
    count_ += static_cast<double>(v.numel());
    return;
  }
  const auto w = tl::detail::broadcast_weights(sample_weight.detach(), v, name());
  total_ += (v * w).sum();
  count_ += w.sum();
}

TL_INLINE void Mean::update(double value, double weight) {
  ensure_state(total_.defined() ? total_.device() : torch::Device(torch::kCPU));
  total_ += value * weight;
  count_ += weight;
}

TL_INLINE double Mean::result() const {
  if (!total_.defined()) return 0.0;
  const double count = count_.item<double>();
  return count == 0 ? 0.0 : total_.item<double>() / count;
}

TL_INLINE void Mean::reset_state() {
  total_ = torch::Tensor();
  count_ = torch::Tensor();
}

TL_INLINE std::vector<torch::Tensor> Mean::variables() {
  ensure_state(total_.defined() ? total_.device() : torch::Device(torch::kCPU));
  return {total_, count_};
}

TL_INLINE void Mean::update_state(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&) {
  throw ValueError("Mean '" + name() + "' takes values: call update_state(values, sample_weight)");
}

TL_INLINE void Mean::ensure_state(const torch::Device& device) {
  if (total_.defined() && total_.device() == device) return;
  const auto options = torch::TensorOptions(torch::kDouble).device(device);
  total_ = total_.defined() ? total_.to(options) : torch::zeros({}, options);
  count_ = count_.defined() ? count_.to(options) : torch::zeros({}, options);
}

TL_INLINE MeanMetricWrapper::MeanMetricWrapper(std::string name, Fn fn)
    : Metric(name), fn_(std::move(fn)), mean_(std::move(name)) {}

TL_INLINE void MeanMetricWrapper::update_state(const torch::Tensor& y_true, const torch::Tensor& y_pred,
                                               const torch::Tensor& sample_weight) {
  torch::NoGradGuard no_grad;
  mean_.update_state(fn_(y_true.detach(), y_pred.detach()), sample_weight);
}

TL_INLINE double MeanMetricWrapper::result() const { return mean_.result(); }

TL_INLINE void MeanMetricWrapper::reset_state() { mean_.reset_state(); }

TL_INLINE std::vector<torch::Tensor> MeanMetricWrapper::variables() { return mean_.variables(); }

}  // namespace tl::metrics
