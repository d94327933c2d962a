#pragma once
// The training loop's side of data-parallel training: what fit/evaluate ask of a replica of the model. tl::distribute
// (include/tl/distribute/) implements it on c10d; models know nothing of processes or sockets. A model compiled
// (or built) under `strategy.scope()` holds one DataParallel in its training state; null means one process.
#include <tl/callbacks/callback.hpp>
#include <tl/core/config.hpp>
#include <tl/utils/sequence.hpp>

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tl::models {
class ModelImpl;
}

namespace tl::models::detail {

class FeatureCache;

/// One worker's replica of a model in a data-parallel fit: every worker runs the same loop on its own slice of each
/// global batch; these calls keep the workers in step. Every call that talks to the other workers is bounded by the
/// strategy's timeout and throws (with the phase, epoch and batch in the message) when a worker is lost.
class DataParallel {
 public:
  TL_INLINE virtual ~DataParallel();

  virtual int rank() const = 0;
  virtual int world() const = 0;
  bool is_chief() const { return rank() == 0; }

  /// Where the loop is, for error messages ("the gradient all-reduce of epoch 2, batch 5").
  struct Position {
    const char* phase = "fit";
    int epoch = -1;     ///< 0-based; -1: outside an epoch
    int64_t step = -1;  ///< 0-based batch; -1: outside a batch
  };
  Position position;

  /// The callbacks this worker runs: on workers other than 0, those that write files or print (ModelCheckpoint,
  /// BackupAndRestore, CSVLogger, ProgbarLogger) are left out, as only worker 0 writes.
  virtual callbacks::CallbackList worker_callbacks(const callbacks::CallbackList& callbacks) const = 0;

  /// After on_train_begin: worker 0's weights, optimizer state and resume epoch (-1: none) to every worker, one
  /// seed for the data's random draws, and a check that every worker sees the same data.
  virtual void begin_fit(ModelImpl& model, utils::Sequence& data, utils::Sequence* validation, int& resume_epoch) = 0;
  /// Before evaluate / train_on_batch / test_on_batch: worker 0's weights, once per model.
  virtual void ensure_synced(ModelImpl& model) = 0;

  /// Gradient sync around backward: `before_backward` arms per-bucket all-reduces that the gradient hooks of
  /// `trainable` launch while backward runs; `after_backward` launches what is left (all of it for a worker whose
  /// slice is empty: then it is called without backward), waits, and leaves in every `.grad` the gradient one
  /// process would compute on the whole global batch of `rows` summed over workers.
  virtual void before_backward(const std::vector<torch::Tensor>& trainable, int64_t rows) = 0;
  virtual void after_backward(const std::vector<torch::Tensor>& trainable) = 0;
  /// Disarms the hooks after an exception between the two calls (the workers are then out of step).
  virtual void abandon_backward() noexcept = 0;

  /// Sums a float64 CPU tensor over the workers in place (metric states: Keras's ON_READ / SUM).
  virtual void sum(torch::Tensor& values, const char* what) = 0;
  /// True on every worker when `flag` is true on any (stop_training, Ctrl-C).
  virtual bool any(bool flag, const char* what) = 0;
  /// At the end of a pass over the data: the workers pool the features each cached for its own slices, so that
  /// every worker finds the samples the next epochs deal it (or all turn the cache off together).
  virtual void share_feature_cache(FeatureCache& cache) = 0;
  /// Averages the statistics a training forward updates (BatchNormalization's moving mean and variance of layers
  /// that train), so that the replicas stay equal: exact, as the moving average is linear in the batch statistics.
  virtual void average_moving_statistics(ModelImpl& model) = 0;
};

/// What `strategy.scope()` installs: makes the replica of each model built or compiled inside the scope.
using ReplicaFactory = std::function<std::shared_ptr<DataParallel>()>;

/// The factory of the innermost active scope on this thread; null outside any scope.
const ReplicaFactory* current_replica_factory();
/// Installs `factory` (null: none) for this thread and returns the previous one (for the scope guard to restore).
const ReplicaFactory* set_replica_factory(const ReplicaFactory* factory);

}  // namespace tl::models::detail

#ifdef TL_HEADER_ONLY
#include <tl/models/detail/impl/data_parallel-inl.hpp>
#endif
