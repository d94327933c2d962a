#pragma once
#include <tl/preprocessing/image/detail/batch_iterator.hpp>

#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/decode.hpp>
#include <tl/preprocessing/image/detail/list_files.hpp>
#include <tl/preprocessing/image/detail/thread_pool.hpp>
#include <tl/preprocessing/image/image_data_generator.hpp>
#include <tl/preprocessing/image/img_to_array.hpp>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <random>
#include <utility>

namespace tl::preprocessing::image::detail {

TL_INLINE SampleSource::~SampleSource() = default;

TL_INLINE void SampleSource::load_into(int64_t id, torch::Tensor& row) const { row.copy_(load(id)); }

/// Whether `generator` returns every sample as loaded: no random transform and no standardization.
TL_INLINE bool leaves_samples_unchanged(const ImageDataGenerator& generator) {
  const auto& o = generator.options();
  return generator.deterministic() && o.rescale == 0 && !o.samplewise_center && !o.samplewise_std_normalization &&
         !o.featurewise_center && !o.featurewise_std_normalization && !o.zca_whitening;
}

/// One batch being filled in by the workers.
struct BatchWork {
  BatchPlan plan;
  int64_t begin = 0;  // x holds rows [begin, begin + x.size(0)) of the plan (a worker's shard; all of it by default)
  torch::Tensor x;
  std::vector<std::string> failures;  // per sample: empty, or why it could not be read
  std::exception_ptr error;
  std::atomic<bool> cancelled{false};
  std::mutex mutex;
  std::condition_variable done;
  size_t remaining = 0;
};

TL_INLINE IteratorCore::IteratorCore(std::shared_ptr<const SampleSource> source, ImageDataGenerator generator,
                                     IteratorSettings settings)
    : source_(std::move(source)),
      generator_(std::make_shared<const ImageDataGenerator>(std::move(generator))),
      s_(std::move(settings)),
      pool_(std::make_unique<ThreadPool>(std::max(0, s_.loader.workers))) {
  tl::detail::check(s_.batch_size > 0, "batch_size must be positive, got " + std::to_string(s_.batch_size));
  state_.rng.seed(s_.seed ? *s_.seed : std::random_device{}());
}

TL_INLINE IteratorCore::~IteratorCore() { cancel_prefetch(); }

TL_INLINE bool IteratorCore::deterministic() const { return generator_->deterministic(); }

TL_INLINE utils::Batch IteratorCore::get_batch(int64_t index) { return get_batch_shard(index, 0, 1); }

TL_INLINE utils::Batch IteratorCore::get_batch_shard(int64_t index, int rank, int world) {
  std::lock_guard lock(mutex_);
  if (rank != shard_rank_ || world != shard_world_) {
    cancel_prefetch();
    shard_rank_ = rank;
    shard_world_ = world;
  }
  tl::detail::check(index >= 0 && index < size(), "Asked to retrieve element " + std::to_string(index) +
                                          ", but the Sequence has length " + std::to_string(size()));
  const BatchPlan plan = next_plan(state_, index);
  auto work = take_prefetched(plan);
  if (!work) work = start(plan);
  prefetch_after(index);
  return finish(*work);
}

TL_INLINE void IteratorCore::set_shared_seed(uint32_t seed) {
  std::lock_guard lock(mutex_);
  if (s_.seed) return;
  cancel_prefetch();
  state_.rng.seed(seed);
  state_.index_array.reset();  // drawn again from the common seed
}

TL_INLINE void IteratorCore::on_epoch_end() {
  std::lock_guard lock(mutex_);
  cancel_prefetch();
  ++state_.epoch;
  set_index_array(state_);
}

TL_INLINE std::vector<int64_t> IteratorCore::batch_ids(int64_t index) const {
  std::lock_guard lock(mutex_);
  IteratorState probe = state_;
  if (!probe.index_array) {
    if (s_.seed) probe.rng.seed(*s_.seed + static_cast<uint32_t>(probe.total_batches_seen));
    set_index_array(probe);
  }
  return slice(*probe.index_array, index);
}

TL_INLINE void IteratorCore::reset() {
  std::lock_guard lock(mutex_);
  cancel_prefetch();
}

TL_INLINE void IteratorCore::set_epoch_order(std::function<std::vector<int64_t>(int64_t)> order) {
  std::lock_guard lock(mutex_);
  cancel_prefetch();
  epoch_order_ = std::move(order);
  state_.index_array.reset();
}

TL_INLINE void IteratorCore::set_index_array(IteratorState& st) const {
  if (epoch_order_) {
    st.index_array = epoch_order_(st.epoch);
    return;
  }
  if (s_.shuffle) {
    st.index_array = st.rng.permutation(samples());
    return;
  }
  st.index_array = std::vector<int64_t>(static_cast<size_t>(samples()));
  std::iota(st.index_array->begin(), st.index_array->end(), int64_t{0});
}

TL_INLINE std::vector<int64_t> IteratorCore::slice(const std::vector<int64_t>& a, int64_t index) const {
  const auto from = std::min<int64_t>(static_cast<int64_t>(a.size()), index * s_.batch_size);
  const auto to = std::min<int64_t>(static_cast<int64_t>(a.size()), from + s_.batch_size);
  return {a.begin() + from, a.begin() + to};
}

TL_INLINE BatchPlan IteratorCore::next_plan(IteratorState& st, int64_t index) const {
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

TL_INLINE std::shared_ptr<BatchWork> IteratorCore::start(const BatchPlan& plan) {
  auto work = std::make_shared<BatchWork>();
  work->plan = plan;
  const auto rows = utils::shard_rows(static_cast<int64_t>(plan.ids.size()), shard_rank_, shard_world_);
  work->begin = rows.begin;
  auto shape = source_->sample_shape();
  shape.insert(shape.begin(), rows.count);
  // Not zeroed: every row the batch keeps is written whole by load_sample (a failed one is dropped in finish), and
  // zeroing 19 MB per batch of 32 at 224 was serial work in the calling thread.
  work->x = torch::empty(shape, torch::TensorOptions().dtype(generator_->options().dtype));
  work->failures.resize(static_cast<size_t>(rows.count));
  work->remaining = static_cast<size_t>(rows.count);
  if (work->remaining == 0) return work;
  for (size_t j = 0; j < work->failures.size(); ++j)
    pool_->submit([work, j, source = source_, generator = generator_] { load_sample(*work, j, *source, *generator); });
  return work;
}

TL_INLINE void IteratorCore::load_sample(BatchWork& work, size_t j, const SampleSource& source,
                                         const ImageDataGenerator& generator) {
  if (!work.cancelled) {
    try {
      const auto k = static_cast<size_t>(work.begin) + j;  // the sample's row in the plan
      auto row = work.x[static_cast<int64_t>(j)];
      if (leaves_samples_unchanged(generator)) {
        source.load_into(work.plan.ids[k], row);
      } else {
        const auto x = source.load(work.plan.ids[k]);
        row.copy_(generator.standardize(generator.apply_transform(x, work.plan.params[k])));
      }
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

TL_INLINE std::shared_ptr<BatchWork> IteratorCore::take_prefetched(const BatchPlan& plan) {
  while (!prefetched_.empty()) {
    auto work = prefetched_.front();
    prefetched_.pop_front();
    if (work->plan == plan) return work;
    work->cancelled = true;  // predicted for a different access order
  }
  return nullptr;
}

TL_INLINE void IteratorCore::prefetch_after(int64_t index) {
  if (pool_->workers() == 0) return;
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

TL_INLINE void IteratorCore::cancel_prefetch() {
  for (auto& w : prefetched_) w->cancelled = true;
  prefetched_.clear();
}

TL_INLINE utils::Batch IteratorCore::finish(BatchWork& work) {
  {
    std::unique_lock lock(work.mutex);
    work.done.wait(lock, [&] { return work.remaining == 0; });
  }
  if (work.error) std::rethrow_exception(work.error);
  std::vector<int64_t> kept_rows, kept_ids;
  for (size_t j = 0; j < work.failures.size(); ++j) {
    if (work.failures[j].empty()) {
      kept_rows.push_back(static_cast<int64_t>(j));
      kept_ids.push_back(work.plan.ids[static_cast<size_t>(work.begin) + j]);
      continue;
    }
    if (!s_.skip_bad) throw IOError(work.failures[j]);
    std::cerr << "Warning: skipping unreadable image: " << work.failures[j] << "\n";
    ++skipped_;
  }
  utils::Batch batch;
  batch.x = kept_rows.size() == work.failures.size() ? work.x : work.x.index_select(0, torch::tensor(kept_rows));
  for (auto& row : kept_rows) row += work.begin;  // rows of the plan, for the file names
  save_batch(batch.x, work.plan, kept_rows);
  source_->add_targets(batch, kept_ids);
  return batch;
}

TL_INLINE void IteratorCore::save_batch(const torch::Tensor& x, const BatchPlan& plan, const std::vector<int64_t>& rows) const {
  if (s_.save_to_dir.empty()) return;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto j = static_cast<size_t>(rows[r]);
    const std::string name = s_.save_prefix + "_" + std::to_string(plan.ids[j]) + "_" +
                             std::to_string(plan.save_hashes[j]) + "." + s_.save_format;
    save_img(std::filesystem::path(s_.save_to_dir) / name, x[static_cast<int64_t>(r)], s_.save_format);
  }
}

TL_INLINE int64_t CoreSequence::size() const { return core_->size(); }
TL_INLINE utils::Batch CoreSequence::get_batch(int64_t index) { return core_->get_batch(index); }
TL_INLINE void CoreSequence::on_epoch_end() { core_->on_epoch_end(); }
TL_INLINE bool CoreSequence::deterministic() const { return core_->deterministic(); }
TL_INLINE std::vector<int64_t> CoreSequence::batch_ids(int64_t index) const { return core_->batch_ids(index); }
TL_INLINE utils::Batch CoreSequence::get_batch_shard(int64_t index, int rank, int world) {
  return core_->get_batch_shard(index, rank, world);
}
TL_INLINE void CoreSequence::set_shared_seed(uint32_t seed) { core_->set_shared_seed(seed); }

TL_INLINE int64_t drop_unreadable(std::vector<std::string>& filenames, const std::string& directory) {
  std::vector<std::string> kept;
  for (auto& f : filenames) {
    const std::string path = path_join(directory, f);
    const auto why = unreadable_header(path);
    if (!why) {
      kept.push_back(std::move(f));
      continue;
    }
    std::cerr << "Warning: skipping unreadable image file '" << path << "': " << *why << "\n";
  }
  const auto dropped = static_cast<int64_t>(filenames.size() - kept.size());
  filenames = std::move(kept);
  return dropped;
}

}  // namespace tl::preprocessing::image::detail
