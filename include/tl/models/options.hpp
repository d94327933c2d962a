#pragma once
// Keras's keyword arguments of compile / fit / evaluate / predict, with Keras's defaults.
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/history.hpp>
#include <tl/core/spec.hpp>
#include <tl/losses/losses.hpp>
#include <tl/metrics/metrics.hpp>
#include <tl/optimizers/optimizers.hpp>
#include <tl/utils/sequence.hpp>

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <vector>

namespace tl::models {

/// `model.compile(optimizer=..., loss=..., metrics=[...])`. Each accepts a Keras name or an object:
/// `{.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}}` or
/// `{.optimizer = tl::optimizers::Adam({.learning_rate = 1e-5}), ...}`.
struct CompileOptions {
  Spec<optimizers::Optimizer> optimizer = "rmsprop";
  Spec<losses::Loss> loss = "";
  std::vector<Spec<metrics::Metric>> metrics = {};
};

/// `validation_data`: a Sequence (e.g. a DirectoryIterator) or `{x_val, y_val}` tensors. A Sequence is held
/// by reference for the duration of the `fit` call, like Python holds the object.
class ValidationData {
 public:
  ValidationData() = default;
  ValidationData(utils::Sequence& data) : sequence_(&data) {}  // NOLINT: implicit, as Keras's argument
  ValidationData(torch::Tensor x, torch::Tensor y, torch::Tensor sample_weight = {})
      : x_(std::move(x)), y_(std::move(y)), w_(std::move(sample_weight)) {}
  bool empty() const { return !sequence_ && !x_.defined(); }
  utils::Sequence* sequence() const { return sequence_; }
  const torch::Tensor& x() const { return x_; }
  const torch::Tensor& y() const { return y_; }
  const torch::Tensor& sample_weight() const { return w_; }

 private:
  utils::Sequence* sequence_ = nullptr;
  torch::Tensor x_, y_, w_;
};

/// `model.fit(...)`'s keyword arguments.
struct FitOptions {
  int64_t batch_size = 32;  ///< for tensors; a Sequence has its own
  int epochs = 1;
  int verbose = 1;  ///< 0 silent, 1 progress bar, 2 one line per epoch
  callbacks::CallbackList callbacks = {};
  ValidationData validation_data = {};
  bool shuffle = true;
  std::map<int64_t, double> class_weight = {};
  torch::Tensor sample_weight = {};
  int initial_epoch = 0;
  int64_t steps_per_epoch = 0;  ///< 0: the whole data
  int64_t validation_steps = 0;
  int64_t validation_batch_size = 0;  ///< 0: batch_size
  int validation_freq = 1;
  /// Compute a frozen base once per sample and train the head on cached features from epoch 2 on
  /// (Chollet's bottleneck features), when the data is deterministic. Same results, much faster.
  bool cache_features = true;
  int64_t feature_cache_max_mb = 2048;  ///< past this the cache turns itself off, with a message
};

struct EvaluateOptions {
  int64_t batch_size = 32;
  int verbose = 1;
  int64_t steps = 0;
  callbacks::CallbackList callbacks = {};
  torch::Tensor sample_weight = {};
};

struct PredictOptions {
  int64_t batch_size = 32;
  int verbose = 1;
  int64_t steps = 0;
  callbacks::CallbackList callbacks = {};
};

}  // namespace tl::models
