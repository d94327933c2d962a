#pragma once
#include <tl/core/errors.hpp>
#include <tl/losses/losses_utils.hpp>
#include <tl/metrics/accuracy.hpp>

#include <utility>

namespace tl::metrics {

TL_INLINE torch::Tensor binary_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred, double threshold) {
  const auto predicted = (y_pred > threshold).to(y_pred.scalar_type());
  return tl::detail::matched_labels(y_true, y_pred, "binary_accuracy").eq(predicted).to(y_pred.scalar_type()).mean(-1);
}

TL_INLINE torch::Tensor sparse_categorical_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred) {
  auto labels = y_true;
  if (labels.dim() == y_pred.dim() && labels.dim() > 0 && labels.size(-1) == 1) labels = labels.squeeze(-1);
  const auto predicted = y_pred.argmax(-1);
  tl::detail::check(labels.sizes() == predicted.sizes(),
                    "sparse_categorical_accuracy: y_true of shape " + tl::detail::shape_string(y_true) +
                        " does not hold one class index per row of y_pred of shape " +
                        tl::detail::shape_string(y_pred));
  return labels.to(y_pred.device(), y_pred.scalar_type()).eq(predicted.to(y_pred.scalar_type())).to(y_pred.scalar_type());
}

TL_INLINE torch::Tensor categorical_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred) {
  return sparse_categorical_accuracy(tl::detail::matched_labels(y_true, y_pred, "categorical_accuracy").argmax(-1), y_pred);
}

TL_INLINE BinaryAccuracy::BinaryAccuracy(BinaryAccuracyOptions options)
    : MeanMetricWrapper(options.name, [threshold = options.threshold](const torch::Tensor& t, const torch::Tensor& p) {
        return binary_accuracy(t, p, threshold);
      }) {}

TL_INLINE CategoricalAccuracy::CategoricalAccuracy(std::string name)
    : MeanMetricWrapper(std::move(name), categorical_accuracy) {}

TL_INLINE SparseCategoricalAccuracy::SparseCategoricalAccuracy(std::string name)
    : MeanMetricWrapper(std::move(name), sparse_categorical_accuracy) {}

}  // namespace tl::metrics
