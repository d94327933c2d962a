#pragma once
// Every metric tl provides, as `keras.metrics`, and `get` to resolve a name as `compile` does.
#include <tl/core/config.hpp>
#include <tl/metrics/accuracy.hpp>
#include <tl/metrics/mean.hpp>
#include <tl/metrics/metric.hpp>

#include <memory>
#include <string>

namespace tl::metrics {

/// Resolves a metric name as tf.keras's compile does, the metric named as written:
/// "accuracy"/"acc" (any case) -> binary when y_pred's last dim is 1, sparse categorical when y_true has lower
/// rank than y_pred or a last dim of 1 (and y_pred more), else categorical; "crossentropy"/"ce" likewise;
/// "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy", loss names ("mse", ...) and
/// class names ("BinaryAccuracy" -> named "binary_accuracy") as Keras's `metrics.get`. Unknown -> ValueError.
///   auto acc = tl::metrics::get("acc", y_true, y_pred);   // acc->name() == "acc"
std::shared_ptr<Metric> get(const std::string& name, const torch::Tensor& y_true, const torch::Tensor& y_pred);

}  // namespace tl::metrics

#ifdef TL_HEADER_ONLY
#include <tl/metrics/impl/metrics-inl.hpp>
#endif
