#pragma once
// Keras's tf.distribute strategies on PyTorch's distributed runtime (c10d): `fit` over several processes, each
// training a replica of the model on its slice of every global batch, gradients averaged every step.
//   tl::distribute::MultiWorkerMirroredStrategy strategy;   // the cluster from TF_CONFIG or torchrun's variables
//   tl::Model model = ...;
//   {
//     auto scope = strategy.scope();                         // models built or compiled here are replicated
//     model = build();
//     model.compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
//   }
//   model.fit(train, {.epochs = 5, .validation_data = test});   // batch_size: the global batch, as in Keras
// See docs/distributed.md.
#include <tl/core/config.hpp>
#include <tl/distribute/cluster_resolver.hpp>
#include <tl/models/detail/data_parallel.hpp>

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tl::distribute {

/// A worker died or could not be reached (or did not answer within the timeout): the message says during what
/// (rendezvous, the gradient all-reduce of epoch E, batch B, ...), which worker this is and what c10d reported.
struct DistributedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Keras's `tf.distribute.experimental.CommunicationOptions`.
struct CommunicationOptions {
  /// The gradients' collectives: "auto" (NCCL for a CUDA model when LibTorch has it, else Gloo), "ring" or "gloo"
  /// (Gloo: CPU, or CUDA tensors through the host), "nccl". The TL_DISTRIBUTE_BACKEND variable overrides "auto".
  std::string implementation = "auto";
  /// Gradients travel in buckets of this many bytes, each all-reduced as soon as backward has produced it
  /// (Keras's bytes_per_pack). 0: 25 MiB, the first bucket 1 MiB, as PyTorch's DistributedDataParallel.
  int64_t bytes_per_pack = 0;
  /// Bound on every wait for another worker (rendezvous, each collective): past it the worker stops with a
  /// DistributedError. 0: TL_DISTRIBUTE_TIMEOUT seconds, else 300. Make it longer than the longest pause of one
  /// worker between two steps (worker 0 writing a checkpoint).
  double timeout_seconds = 0;
};

/// What one worker has sent through the collectives so far (for benchmarks and docs/distributed.md).
struct CommunicationStats {
  int64_t gradient_syncs = 0;       ///< training steps whose gradients were all-reduced
  int64_t gradient_bytes = 0;       ///< bytes of gradient buckets all-reduced, all steps together
  int64_t buckets = 0;              ///< buckets all-reduced, all steps together
  int64_t buckets_in_backward = 0;  ///< of which launched while backward was still running (overlap)
  double gradient_wait_seconds = 0; ///< time spent after backward waiting for the buckets
  int64_t other_bytes = 0;          ///< metric states, stop flags, the broadcast at the start of fit
  int64_t collectives = 0;          ///< every collective call
};

namespace detail {
class Communicator;
}

/// Base of the strategies (Keras's tf.distribute.Strategy). Not copyable: models compiled in its scope share its
/// process group, which lives as long as the strategy or any of those models.
class Strategy {
 public:
  TL_INLINE virtual ~Strategy();
  Strategy(const Strategy&) = delete;
  Strategy& operator=(const Strategy&) = delete;

  /// Keras's `num_replicas_in_sync`: the number of workers (one replica each).
  int num_replicas_in_sync() const;
  /// Keras's `cluster_resolver`: task_type, task_id, cluster_spec(), master(), plus rank and world size.
  const ClusterResolver& cluster_resolver() const { return resolver_; }
  /// True on the worker that prints and writes files (rank 0): Keras's `_is_chief`. Save the model there:
  ///   if (strategy.is_chief()) model.save("model.h5");
  bool is_chief() const { return resolver_.rank == 0; }
  /// The gradients' collective implementation, "gloo" or "nccl" ("auto" until the first fit has chosen).
  std::string implementation() const;
  /// The timeout every wait is bounded by.
  double timeout_seconds() const;
  /// Bytes and calls through the collectives on this worker so far.
  CommunicationStats stats() const;

  /// The guard of `strategy.scope()`: while it lives, models built or compiled on this thread are replicas.
  class Scope {
   public:
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    friend class Strategy;
    explicit Scope(const models::detail::ReplicaFactory* factory);
    const models::detail::ReplicaFactory* previous_;
  };
  /// Keras's `with strategy.scope():`. Entering the scope of another strategy inside it is a ValueError.
  [[nodiscard]] Scope scope() const;

 protected:
  Strategy() = default;
  /// Rendezvous with the other workers of `resolver`'s cluster (nothing for one worker); on workers other than 0,
  /// std::cout prints nothing while the strategy lives.
  void connect(ClusterResolver resolver, const CommunicationOptions& options, torch::Device device);

 private:
  ClusterResolver resolver_;
  std::shared_ptr<detail::Communicator> comm_;
  models::detail::ReplicaFactory factory_;
  std::shared_ptr<void> quiet_stdout_;
};

/// Keras's MultiWorkerMirroredStrategy arguments.
struct MultiWorkerMirroredStrategyOptions {
  /// The cluster; none: from the environment (TF_CONFIG, else torchrun's RANK / WORLD_SIZE / MASTER_ADDR /
  /// MASTER_PORT, else one worker).
  std::optional<ClusterResolver> cluster_resolver = std::nullopt;
  CommunicationOptions communication_options = {};
};

/// Synchronous data-parallel training over workers (processes, on one machine or several), one replica each: the
/// constructor meets the other workers (bounded by the timeout; the error names workers that did not come).
/// A CUDA process trains on cuda:LOCAL_RANK.
///   tl::distribute::MultiWorkerMirroredStrategy strategy;
///   strategy.num_replicas_in_sync();   // 2 with two workers
class MultiWorkerMirroredStrategy : public Strategy {
 public:
  explicit MultiWorkerMirroredStrategy(const MultiWorkerMirroredStrategyOptions& options = {});
};

/// Keras's MirroredStrategy arguments.
struct MirroredStrategyOptions {
  /// The replicas' devices, one process each: "/gpu:0", "GPU:1", "cuda:0" (Keras's and torch's names), or "cpu"
  /// (a CPU process: tries the strategy on a machine without GPUs). Empty: every GPU, or one CPU replica.
  std::vector<std::string> devices = {};
  CommunicationOptions communication_options = {};
};

/// Several devices of one machine, one process per device underneath: the constructor starts the program again
/// once per extra device (the code before it runs in every process; their standard output is discarded), and
/// the process that called it first becomes replica 0. Its destructor waits for the others.
///   tl::distribute::MirroredStrategy strategy;   // every GPU
class MirroredStrategy : public Strategy {
 public:
  explicit MirroredStrategy(const MirroredStrategyOptions& options = {});
  TL_INLINE ~MirroredStrategy() override;
  /// This process's device.
  torch::Device device() const { return device_; }

 private:
  torch::Device device_ = torch::kCPU;
  std::shared_ptr<void> children_;
};

}  // namespace tl::distribute

#ifdef TL_HEADER_ONLY
#include <tl/distribute/impl/strategy-inl.hpp>
#endif
