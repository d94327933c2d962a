#pragma once
// keras.metrics accuracies: binary (threshold), categorical (argmax of one-hot labels) and sparse categorical.
#include <tl/metrics/mean.hpp>

#include <string>

namespace tl::metrics {

/// Keras's binary_accuracy: per sample, the fraction of y_true == (y_pred > threshold) over the last axis.
torch::Tensor binary_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred, double threshold = 0.5);

/// Keras's sparse_categorical_accuracy: 1 where the class index y_true equals argmax(y_pred), per sample.
torch::Tensor sparse_categorical_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred);

/// Keras's categorical_accuracy: 1 where argmax(y_true) equals argmax(y_pred), per sample.
torch::Tensor categorical_accuracy(const torch::Tensor& y_true, const torch::Tensor& y_pred);

/// Keras's BinaryAccuracy arguments and defaults.
struct BinaryAccuracyOptions {
  std::string name = "binary_accuracy";
  double threshold = 0.5;
};

/// How often y_pred > threshold matches binary labels.
///   tl::metrics::BinaryAccuracy acc({.threshold = 0.7});
class BinaryAccuracy : public MeanMetricWrapper {
 public:
  explicit BinaryAccuracy(BinaryAccuracyOptions options = {});
};

/// How often argmax(y_pred) matches one-hot labels.
///   tl::metrics::CategoricalAccuracy acc;
class CategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit CategoricalAccuracy(std::string name = "categorical_accuracy");
};

/// How often argmax(y_pred) matches integer class labels.
///   tl::metrics::SparseCategoricalAccuracy acc("acc");
class SparseCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit SparseCategoricalAccuracy(std::string name = "sparse_categorical_accuracy");
};

}  // namespace tl::metrics

#ifdef TL_HEADER_ONLY
#include <tl/metrics/impl/accuracy-inl.hpp>
#endif
