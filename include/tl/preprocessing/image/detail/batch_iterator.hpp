#pragma once
// The engine under DirectoryIterator and NumpyArrayIterator: Keras's Iterator (index array, reseeding with
// seed + total_batches_seen, reshuffle at epoch end) plus a thread pool that prefetches the next batches.
// Every random draw happens on the caller's thread in Keras's order, so batches do not depend on threads.
#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/image_data_generator.hpp>
#include <tl/preprocessing/image/img_to_array.hpp>
#include <tl/preprocessing/image/detail/thread_pool.hpp>
#include <tl/utils/sequence.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>

namespace tl::preprocessing::image::detail {

/// The samples an iterator draws from; immutable and shared with the worker threads.
struct SampleSource {
  virtual ~SampleSource() = default;
  virtual int64_t count() const = 0;
  /// (H, W, C) of one sample before augmentation.
  virtual std::vector<int64_t> sample_shape() const = 0;
  /// Sample `id` as an (H, W, C) tensor of the iterator's dtype; throws IOError for unreadable files.
  virtual torch::Tensor load(int64_t id) const = 0;
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
  std::optional<std::vector<int64_t>> index_array;
};

/// One batch being filled in by the workers.
struct BatchWork {
  BatchPlan plan;
  torch::Tensor x;
  std::vector<std::string> failures;  // per sample: empty, or why it could not be read
  std::exception_ptr error;
  std::atomic<bool> cancelled{false};
  std::mutex mutex;
  std::condition_variable done;
  size_t remaining = 0;
};

/// How an iterator loads, augments, saves and reports samples.
struct IteratorSettings {
  int64_t batch_size = 32;
  bool shuffle = true;
  std::optional<uint32_t> seed;
  LoaderOptions loader;
  bool skip_bad = false;
  std::string save_to_dir, save_prefix, save_format = "png";
  int64_t save_hash_bound = 10000000;  // Keras: randint(1e7) for directories, randint(1e4) for arrays
};

class IteratorCore {
 public:
  IteratorCore(std::shared_ptr<const SampleSource> source, ImageDataGenerator generator, IteratorSettings settings)
      : source_(std::move(source)),
        generator_(std::make_shared<const ImageDataGenerator>(std::move(generator))),
        s_(std::move(settings)),
        pool_(std::max(0, s_.loader.workers)) {
    tl::detail::check(s_.batch_size > 0, "batch_size must be positive, got " + std::to_string(s_.batch_size));
    state_.rng.seed(s_.seed ? *s_.seed : std::random_device{}());
  }
  ~IteratorCore() { cancel_prefetch(); }

  int64_t samples() const { return source_->count(); }
  int64_t size() const { return (samples() + s_.batch_size - 1) / s_.batch_size; }
  bool deterministic() const { return generator_->deterministic(); }
  int64_t skipped_images() const { return skipped_; }

  /// Keras's __getitem__: reseeds with seed + total_batches_seen, shuffles on first use, draws and loads.
  utils::Batch get_batch(int64_t index) {
    std::lock_guard lock(mutex_);
    tl::detail::check(index >= 0 && index < size(), "Asked to retrieve element " + std::to_string(index) +
                                            ", but the Sequence has length " + std::to_string(size()));
    const BatchPlan plan = next_plan(state_, index);
    auto work = take_prefetched(plan);
    if (!work) work = start(plan);
    prefetch_after(index);
    return finish(*work);
  }

  /// Keras's on_epoch_end: a new index array from the RNG as the last batch left it.
  void on_epoch_end() {
    std::lock_guard lock(mutex_);
    cancel_prefetch();
    set_index_array(state_);
  }

  /// Sample ids of batch `index` in this epoch's order (what the next get_batch(index) will load).
  std::vector<int64_t> batch_ids(int64_t index) const {
    std::lock_guard lock(mutex_);
    IteratorState probe = state_;
    if (!probe.index_array) {
      if (s_.seed) probe.rng.seed(*s_.seed + static_cast<uint32_t>(probe.total_batches_seen));
      set_index_array(probe);
    }
    return slice(*probe.index_array, index);
  }

  void reset() {
    std::lock_guard lock(mutex_);
    cancel_prefetch();
  }

 private:
  void set_index_array(IteratorState& st) const {
    if (s_.shuffle) {
      st.index_array = st.rng.permutation(samples());
      return;
    }
    st.index_array = std::vector<int64_t>(static_cast<size_t>(samples()));
    std::iota(st.index_array->begin(), st.index_array->end(), int64_t{0});
  }

  std::vector<int64_t> slice(const std::vector<int64_t>& a, int64_t index) const {
    const auto from = std::min<int64_t>(static_cast<int64_t>(a.size()), index * s_.batch_size);
    const auto to = std::min<int64_t>(static_cast<int64_t>(a.size()), from + s_.batch_size);
    return {a.begin() + from, a.begin() + to};
  }

  /// Everything Keras draws for batch `index`, advancing `st` as Keras advances numpy's global RNG.
  BatchPlan next_plan(IteratorState& st, int64_t index) const {
    if (s_.seed) st.rng.seed(*s_.seed + static_cast<uint32_t>(st.total_batches_seen));
    ++st.total_batches_seen;
    if (!st.index_array) set_index_array(st);
    BatchPlan plan{index, slice(*st.index_array, index), {}, {}};
    const auto shape = source_->sample_shape();
    for (size_t i = 0; i < plan.ids.size(); ++i) plan.params.push_back(generator_->draw_transform(shape, st.rng));
    if (!s_.save_to_dir.empty())
      for (size_t i = 0; i < plan.ids.size(); ++i) plan.save_hashes.push_back(st.rng.randint(s_.save_hash_bound));
    return plan;
  }

  /// Queues the samples of a plan on the pool (or loads them now when there are no workers).
  std::shared_ptr<BatchWork> start(const BatchPlan& plan) {
    auto work = std::make_shared<BatchWork>();
    work->plan = plan;
    auto shape = source_->sample_shape();
    shape.insert(shape.begin(), static_cast<int64_t>(plan.ids.size()));
    work->x = torch::zeros(shape, torch::TensorOptions().dtype(generator_->options().dtype));
    work->failures.resize(plan.ids.size());
    work->remaining = plan.ids.size();
    for (size_t j = 0; j < plan.ids.size(); ++j)
      pool_.submit([work, j, source = source_, generator = generator_] { load_sample(*work, j, *source, *generator); });
    return work;
  }

  static void load_sample(BatchWork& work, size_t j, const SampleSource& source, const ImageDataGenerator& generator) {
    if (!work.cancelled) {
      try {
        auto x = source.load(work.plan.ids[j]);
        x = generator.standardize(generator.apply_transform(x, work.plan.params[j]));
        work.x[static_cast<int64_t>(j)].copy_(x);
      } catch (const IOError& e) {
        work.failures[j] = e.what();
      } catch (...) {
        std::lock_guard lock(work.mutex);
        if (!work.error) work.error = std::current_exception();
      }
    }
    std::lock_guard lock(work.mutex);
    if (--work.remaining == 0) work.done.notify_all();
  }

  std::shared_ptr<BatchWork> take_prefetched(const BatchPlan& plan) {
    while (!prefetched_.empty()) {
      auto work = prefetched_.front();
      prefetched_.pop_front();
      if (work->plan == plan) return work;
      work->cancelled = true;  // predicted for a different access order
    }
    return nullptr;
  }

  /// Keeps the next max_queue_size batches of this epoch in flight, as predicted from the current state.
  void prefetch_after(int64_t index) {
    if (pool_.workers() == 0) return;
    IteratorState st = state_;
    for (int64_t k = 1; k <= s_.loader.max_queue_size && index + k < size(); ++k) {
      const BatchPlan plan = next_plan(st, index + k);
      const auto slot = static_cast<size_t>(k - 1);
      if (slot < prefetched_.size()) {
        if (prefetched_[slot]->plan == plan) continue;
        for (size_t i = slot; i < prefetched_.size(); ++i) prefetched_[i]->cancelled = true;
        prefetched_.resize(slot);
      }
      prefetched_.push_back(start(plan));
    }
  }

  void cancel_prefetch() {
    for (auto& w : prefetched_) w->cancelled = true;
    prefetched_.clear();
  }

  /// Waits for a batch, reports unreadable samples (throw, or skip with a warning), adds targets.
  utils::Batch finish(BatchWork& work) {
    {
      std::unique_lock lock(work.mutex);
      work.done.wait(lock, [&] { return work.remaining == 0; });
    }
    if (work.error) std::rethrow_exception(work.error);
    std::vector<int64_t> kept_rows, kept_ids;
    for (size_t j = 0; j < work.plan.ids.size(); ++j) {
      if (work.failures[j].empty()) {
        kept_rows.push_back(static_cast<int64_t>(j));
        kept_ids.push_back(work.plan.ids[j]);
        continue;
      }
      if (!s_.skip_bad) throw IOError(work.failures[j]);
      std::cerr << "Warning: skipping unreadable image: " << work.failures[j] << "\n";
      ++skipped_;
    }
    utils::Batch batch;
    batch.x = kept_rows.size() == work.plan.ids.size() ? work.x : work.x.index_select(0, torch::tensor(kept_rows));
    save_batch(batch.x, work.plan, kept_rows);
    source_->add_targets(batch, kept_ids);
    return batch;
  }

  /// save_to_dir: every image as {prefix}_{index}_{hash}.{format}, scaled to 0..255 like Keras.
  void save_batch(const torch::Tensor& x, const BatchPlan& plan, const std::vector<int64_t>& rows) const {
    if (s_.save_to_dir.empty()) return;
    for (size_t r = 0; r < rows.size(); ++r) {
      const auto j = static_cast<size_t>(rows[r]);
      const std::string name = s_.save_prefix + "_" + std::to_string(plan.ids[j]) + "_" +
                               std::to_string(plan.save_hashes[j]) + "." + s_.save_format;
      save_img(std::filesystem::path(s_.save_to_dir) / name, x[static_cast<int64_t>(r)], s_.save_format);
    }
  }

  std::shared_ptr<const SampleSource> source_;
  std::shared_ptr<const ImageDataGenerator> generator_;
  IteratorSettings s_;
  IteratorState state_;
  std::deque<std::shared_ptr<BatchWork>> prefetched_;
  std::atomic<int64_t> skipped_{0};
  mutable std::mutex mutex_;
  ThreadPool pool_;  // last: destroyed first, so no task outlives the state above
};

/// A utils::Sequence whose batches an IteratorCore makes: what DirectoryIterator and NumpyArrayIterator share.
class CoreSequence : public utils::Sequence {
 public:
  int64_t size() const override { return core_->size(); }
  utils::Batch get_batch(int64_t index) override { return core_->get_batch(index); }
  void on_epoch_end() override { core_->on_epoch_end(); }
  bool deterministic() const override { return core_->deterministic(); }
  std::vector<int64_t> batch_ids(int64_t index) const override { return core_->batch_ids(index); }
  /// Drops prefetched batches (Keras's reset() rewinds next(); tl has no next()).
  void reset() { core_->reset(); }

 protected:
  std::shared_ptr<IteratorCore> core_;
};

}  // namespace tl::preprocessing::image::detail
