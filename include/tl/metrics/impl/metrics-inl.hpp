#pragma once
#include <tl/core/registry.hpp>
#include <tl/losses/losses.hpp>
#include <tl/metrics/metrics.hpp>

#include <utility>
#include <vector>

namespace tl::metrics {

namespace detail {
/// The per-sample function tf.keras picks for "accuracy"/"acc" ("crossentropy"/"ce" pick the matching loss).
enum class Kind { binary, sparse_categorical, categorical };
TL_INLINE Kind accuracy_kind(const torch::Tensor& y_true, const torch::Tensor& y_pred) {
  const int64_t y_true_last = y_true.dim() ? y_true.size(-1) : 1, y_pred_last = y_pred.dim() ? y_pred.size(-1) : 1;
  if (y_pred_last == 1) return Kind::binary;
  if (y_true.dim() < y_pred.dim() || (y_true_last == 1 && y_pred_last > 1)) return Kind::sparse_categorical;
  return Kind::categorical;
}

/// A metric averaging a loss function per sample, as Keras wraps `metrics=["mse"]`.
TL_INLINE std::shared_ptr<Metric> loss_metric(const std::string& name, const std::string& loss_name) {
  std::shared_ptr<const losses::Loss> loss = losses::get(loss_name);
  return std::make_shared<MeanMetricWrapper>(
      name, [loss](const torch::Tensor& y_true, const torch::Tensor& y_pred) { return loss->per_sample(y_true, y_pred); });
}

/// "accuracy"/"acc"/"crossentropy"/"ce" (any case) resolved from the label and prediction shapes.
TL_INLINE std::shared_ptr<Metric> by_shapes(const std::string& name, const torch::Tensor& y_true,
                                            const torch::Tensor& y_pred) {
  const bool accuracy = tl::detail::lower(name) == "accuracy" || tl::detail::lower(name) == "acc";
  switch (accuracy_kind(y_true, y_pred)) {
    case Kind::binary:
      return accuracy ? std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = name})
                      : loss_metric(name, "binary_crossentropy");
    case Kind::sparse_categorical:
      return accuracy ? std::make_shared<SparseCategoricalAccuracy>(name)
                      : loss_metric(name, "sparse_categorical_crossentropy");
    case Kind::categorical:
      break;
  }
  return accuracy ? std::make_shared<CategoricalAccuracy>(name) : loss_metric(name, "categorical_crossentropy");
}
}  // namespace detail

TL_INLINE std::shared_ptr<Metric> get(const std::string& name, const torch::Tensor& y_true,
                                      const torch::Tensor& y_pred) {
  for (const char* by_shape : {"accuracy", "acc", "crossentropy", "ce"})
    if (tl::detail::lower(name) == by_shape) return detail::by_shapes(name, y_true, y_pred);
  using tl::detail::Named;
  auto loss_entry = [&](const std::string& key, const std::string& metric_name) {
    return Named<Metric>{key, [=] { return detail::loss_metric(metric_name, key); }};
  };
  std::vector<Named<Metric>> table{
      {"binary_accuracy", [&] { return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = name}); }},
      {"categorical_accuracy", [&] { return std::make_shared<CategoricalAccuracy>(name); }},
      {"sparse_categorical_accuracy", [&] { return std::make_shared<SparseCategoricalAccuracy>(name); }},
      {"BinaryAccuracy", [] { return std::make_shared<BinaryAccuracy>(); }},
      {"CategoricalAccuracy", [] { return std::make_shared<CategoricalAccuracy>(); }},
      {"SparseCategoricalAccuracy", [] { return std::make_shared<SparseCategoricalAccuracy>(); }},
  };
  for (const char* loss : {"binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
                           "mean_squared_error", "mse", "MSE", "mean_absolute_error", "mae", "MAE"})
    table.push_back(loss_entry(loss, loss));
  for (const auto& [key, metric_name] :
       std::vector<std::pair<std::string, std::string>>{{"BinaryCrossentropy", "binary_crossentropy"},
                                                        {"CategoricalCrossentropy", "categorical_crossentropy"},
                                                        {"SparseCategoricalCrossentropy", "sparse_categorical_crossentropy"},
                                                        {"MeanSquaredError", "mean_squared_error"},
                                                        {"MeanAbsoluteError", "mean_absolute_error"}})
    table.push_back(loss_entry(key, metric_name));
  return tl::detail::find_named(table, name, "metric");
}

}  // namespace tl::metrics
