#pragma once
// keras.metrics accuracies: binary (threshold), categorical (argmax of one-hot labels) and sparse categorical.
#include <tl/losses/losses_utils.hpp>
#include <tl/metrics/mean.hpp>

#include <string>

namespace tl::metrics {

/// Keras's binary_accuracy: per sample, the fraction of y_true == (y_pred > threshold) over the last axis.
inline torch::Tensor binary_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred, double threshold = 0.5) {
  const auto predicted = (y_pred > threshold).to(y_pred.scalar_type());
  return detail::matched_labels(y_true, y_pred, "binary_accuracy").eq(predicted).to(y_pred.scalar_type()).mean(-1);
}

/// Keras's sparse_categorical_accuracy: 1 where the class index y_true equals argmax(y_pred), per sample.
inline torch::Tensor sparse_categorical_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred) {
  auto labels = y_true;
  if (labels.dim() == y_pred.dim() && labels.dim() > 0 && labels.size(-1) == 1) labels = labels.squeeze(-1);
  const auto predicted = y_pred.argmax(-1);
  detail::check(labels.sizes() == predicted.sizes(),
                "sparse_categorical_accuracy: y_true of shape " + detail::shape_string(y_true) +
                    " does not hold one class index per row of y_pred of shape " + detail::shape_string(y_pred));
  return labels.to(y_pred.device(), y_pred.scalar_type()).eq(predicted.to(y_pred.scalar_type())).to(y_pred.scalar_type());
}

/// Keras's categorical_accuracy: 1 where argmax(y_true) equals argmax(y_pred), per sample.
inline torch::Tensor categorical_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred) {
  return sparse_categorical_accuracy(detail::matched_labels(y_true, y_pred, "categorical_accuracy").argmax(-1), y_pred);
}

/// Keras's BinaryAccuracy arguments and defaults.
struct BinaryAccuracyOptions {
  std::string name = "binary_accuracy";
  double threshold = 0.5;
};

/// How often y_pred > threshold matches binary labels.
///   tl::metrics::BinaryAccuracy acc({.threshold = 0.7});
class BinaryAccuracy : public MeanMetricWrapper {
 public:
  explicit BinaryAccuracy(BinaryAccuracyOptions options = {})
      : MeanMetricWrapper(options.name, [threshold = options.threshold](const torch::Tensor& t, const torch::Tensor& p) {
          return binary_accuracy(t, p, threshold);
        }) {}
};

/// How often argmax(y_pred) matches one-hot labels.
///   tl::metrics::CategoricalAccuracy acc;
class CategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit CategoricalAccuracy(std::string name = "categorical_accuracy")
      : MeanMetricWrapper(std::move(name), categorical_accuracy) {}
};

/// How often argmax(y_pred) matches integer class labels.
///   tl::metrics::SparseCategoricalAccuracy acc("acc");
class SparseCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit SparseCategoricalAccuracy(std::string name = "sparse_categorical_accuracy")
      : MeanMetricWrapper(std::move(name), sparse_categorical_accuracy) {}
};

}  // namespace tl::metrics
