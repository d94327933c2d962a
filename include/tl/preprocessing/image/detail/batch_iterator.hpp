#pragma once
// Iterator unit: the engine under DirectoryIterator and NumpyArrayIterator. Keras's Iterator (index array,
// reseeding with seed + total_batches_seen, reshuffle at epoch end) plus a thread pool that prefetches the next
// batches and the bad-file policy (error, or skip with a warning and a count). Every random draw happens on the
// caller's thread in Keras's order, so batches do not depend on threads.
//
// A new kind of iterator (image_dataset_from_directory, ...) plugs in with a SampleSource (how many samples, the
// shape of one, how sample i is loaded, how a batch's targets are made) and IteratorSettings, and derives from
// CoreSequence; IteratorCore does the rest. A file list scanned at construction can apply the skip policy with
// drop_unreadable.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/numpy_random.hpp>
#include <tl/preprocessing/image/iterator_options.hpp>
#include <tl/preprocessing/image/transform_params.hpp>
#include <tl/utils/sequence.hpp>

#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tl::preprocessing::image {
class ImageDataGenerator;  // image_data_generator.hpp (which includes the iterators after it: no cycle here)
}  // namespace tl::preprocessing::image

namespace tl::preprocessing::image::detail {

/// The samples an iterator draws from; immutable and shared with the worker threads.
struct SampleSource {
  TL_INLINE virtual ~SampleSource();
  virtual int64_t count() const = 0;
  /// (H, W, C) of one sample before augmentation.
  virtual std::vector<int64_t> sample_shape() const = 0;
  /// Sample `id` as an (H, W, C) tensor of the iterator's dtype; throws IOError for unreadable files (the
  /// bad-file policy then applies), anything else stops the batch.
  virtual torch::Tensor load(int64_t id) const = 0;
  /// load(id) written into `row`, the sample's place in the batch (the iterator's dtype), when the iterator neither
  /// transforms nor standardizes. A source that can decode straight into it overrides this: no sample-sized tensor,
  /// no copy.
  TL_INLINE virtual void load_into(int64_t id, torch::Tensor& row) const;
  /// Fills batch.y (and sample_weight) for the samples `ids`, as Keras's iterator does.
  virtual void add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const = 0;
};

/// Everything drawn at random for one batch: which samples, their transformations, save_to_dir name hashes.
struct BatchPlan {
  int64_t index = 0;
  std::vector<int64_t> ids;
  std::vector<TransformParams> params;
  std::vector<int64_t> save_hashes;
  bool operator==(const BatchPlan&) const = default;
};

/// Keras's Iterator state: what a plan depends on.
struct IteratorState {
  NumpyRandom rng;  // numpy's global RNG as Keras would leave it
  int64_t total_batches_seen = 0;
  int64_t epoch = 0;  // on_epoch_end calls so far (what an epoch order is given)
  std::optional<std::vector<int64_t>> index_array;
};

/// How an iterator loads, augments, saves and reports samples.
struct IteratorSettings {
  int64_t batch_size = 32;
  bool shuffle = true;
  std::optional<uint32_t> seed;
  LoaderOptions loader;
  bool skip_bad = false;  ///< on_bad_image = "skip": drop a sample that throws IOError, warn and count it
  std::string save_to_dir, save_prefix, save_format = "png";
  int64_t save_hash_bound = 10000000;  // Keras: randint(1e7) for directories, randint(1e4) for arrays
};

struct BatchWork;   // one batch being filled in by the workers (impl/batch_iterator-inl.hpp)
class ThreadPool;   // thread_pool.hpp

class IteratorCore {
 public:
  IteratorCore(std::shared_ptr<const SampleSource> source, ImageDataGenerator generator, IteratorSettings settings);
  ~IteratorCore();
  IteratorCore(const IteratorCore&) = delete;
  IteratorCore& operator=(const IteratorCore&) = delete;

  int64_t samples() const { return source_->count(); }
  int64_t size() const { return (samples() + s_.batch_size - 1) / s_.batch_size; }
  bool deterministic() const;
  int64_t skipped_images() const { return skipped_; }

  /// Keras's __getitem__: reseeds with seed + total_batches_seen, shuffles on first use, draws and loads.
  utils::Batch get_batch(int64_t index);
  /// Worker `rank`'s rows of batch `index` (utils::shard_rows): the whole batch is planned, as every worker draws
  /// what one process would, and only these rows are loaded (and prefetched).
  utils::Batch get_batch_shard(int64_t index, int rank, int world);
  /// A distributed fit's common seed: without a seed of its own the iterator draws from it from now on.
  void set_shared_seed(uint32_t seed);

  /// Keras's on_epoch_end: a new index array from the RNG as the last batch left it.
  void on_epoch_end();

  /// Sample ids of batch `index` in this epoch's order (what the next get_batch(index) will load).
  std::vector<int64_t> batch_ids(int64_t index) const;

  /// Drops the prefetched batches.
  void reset();

  /// Replaces Keras's Iterator order (a permutation from the RNG, or 0..n-1) by `order(e)` for epoch e = 0, 1, ...
  /// (a pure function of e): image_dataset_from_directory's shuffle buffer. Call before the first batch.
  void set_epoch_order(std::function<std::vector<int64_t>(int64_t epoch)> order);

 private:
  void set_index_array(IteratorState& st) const;
  std::vector<int64_t> slice(const std::vector<int64_t>& a, int64_t index) const;
  /// Everything Keras draws for batch `index`, advancing `st` as Keras advances numpy's global RNG.
  BatchPlan next_plan(IteratorState& st, int64_t index) const;
  /// Queues the samples of a plan on the pool (or loads them now when there are no workers).
  std::shared_ptr<BatchWork> start(const BatchPlan& plan);
  static void load_sample(BatchWork& work, size_t j, const SampleSource& source, const ImageDataGenerator& generator);
  std::shared_ptr<BatchWork> take_prefetched(const BatchPlan& plan);
  /// Keeps the next max_queue_size batches of this epoch in flight, as predicted from the current state.
  void prefetch_after(int64_t index);
  void cancel_prefetch();
  /// Waits for a batch, reports unreadable samples (throw, or skip with a warning), adds targets.
  utils::Batch finish(BatchWork& work);
  /// save_to_dir: every image as {prefix}_{index}_{hash}.{format}, scaled to 0..255 like Keras.
  void save_batch(const torch::Tensor& x, const BatchPlan& plan, const std::vector<int64_t>& rows) const;

  std::shared_ptr<const SampleSource> source_;
  std::shared_ptr<const ImageDataGenerator> generator_;
  IteratorSettings s_;
  std::function<std::vector<int64_t>(int64_t)> epoch_order_;
  IteratorState state_;
  std::deque<std::shared_ptr<BatchWork>> prefetched_;
  int shard_rank_ = 0, shard_world_ = 1;  // which rows of each batch get_batch_shard loads (and prefetches)
  std::atomic<int64_t> skipped_{0};
  mutable std::mutex mutex_;
  std::unique_ptr<ThreadPool> pool_;  // last: destroyed first, so no task outlives the state above
};

/// A utils::Sequence whose batches an IteratorCore makes: what DirectoryIterator and NumpyArrayIterator share.
class CoreSequence : public utils::Sequence {
 public:
  TL_INLINE int64_t size() const override;
  TL_INLINE utils::Batch get_batch(int64_t index) override;
  TL_INLINE void on_epoch_end() override;
  TL_INLINE bool deterministic() const override;
  TL_INLINE std::vector<int64_t> batch_ids(int64_t index) const override;
  TL_INLINE utils::Batch get_batch_shard(int64_t index, int rank, int world) override;
  TL_INLINE void set_shared_seed(uint32_t seed) override;
  /// Drops prefetched batches (Keras's reset() rewinds next(); tl has no next()).
  void reset() { core_->reset(); }

 protected:
  std::shared_ptr<IteratorCore> core_;
};

/// The skip policy at listing time: drops the files (relative to `directory`) whose header cannot be read
/// (empty, not an image, TIFF...), warning for each; returns how many were dropped. IOError for a file that
/// cannot be opened.
int64_t drop_unreadable(std::vector<std::string>& filenames, const std::string& directory);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/batch_iterator-inl.hpp>
#endif
