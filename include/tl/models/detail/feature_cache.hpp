#pragma once
// Chollet's "bottleneck features", done for the user: when everything below the first trainable layer is
// frozen and the data is deterministic, the frozen part runs once per sample and later epochs reuse it.
// "Frozen" is LayerImpl::frozen_in_training(): no trainable weights and nothing random or updated in training.
// The augmentation layers (RandomFlip, RandomRotation, ..., layers/image_augmentation.hpp) and Dropout answer
// false, and a model holding one (a Sequential too, built or not) answers false, so the cached prefix
// (ModelImpl::frozen_prefix_end) always ends below them: with data_augmentation right after the input, as in
// Keras's transfer-learning guide, there is no cache for training (validation data has no cache either).
#include <tl/core/config.hpp>
#include <tl/utils/sequence.hpp>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace tl::models::detail {

/// Features of the frozen part of a model, with their labels and sample weights, by sample id.
class FeatureCache {
 public:
  FeatureCache(int cut, int64_t max_bytes) : cut_(cut), max_bytes_(max_bytes) {}

  int cut() const { return cut_; }
  bool complete() const { return complete_; }
  bool enabled() const { return enabled_; }

  /// Stores one batch computed in the first pass; turns itself off (with a message) past the memory limit.
  void store(const std::vector<int64_t>& ids, const torch::Tensor& features, const utils::Batch& b, int64_t steps);
  /// Ends the first pass: later passes read from the cache when every sample was seen.
  void finish_pass();
  /// The cached features, labels and sample weights of these samples; false if one was never seen.
  bool gather(const std::vector<int64_t>& ids, torch::Tensor& features, utils::Batch& b) const;

  // A distributed fit: each worker fills the cache with its own slices during the first pass; as the next epochs
  // deal the samples to the workers anew, the workers then pool what they cached (DataParallel::share_feature_cache).

  /// What the first pass stored, row by row: sample ids (-1: a repeated sample's unused row), features, y, w.
  struct Rows {
    torch::Tensor ids, features, y, w;
  };
  Rows rows() const;
  /// Replaces the content with `all` (every worker's rows) and completes the first pass.
  void adopt(const Rows& all);
  /// Turns the cache off without a message (the workers decided together).
  void turn_off() { disable(); }
  int64_t max_bytes() const { return max_bytes_; }

 private:
  void disable();

  int cut_;
  int64_t max_bytes_;
  bool enabled_ = true, complete_ = false;
  int64_t rows_ = 0;
  std::vector<torch::Tensor> features_, y_, w_;
  std::unordered_map<int64_t, int64_t> position_;
};

}  // namespace tl::models::detail

#ifdef TL_HEADER_ONLY
#include <tl/models/detail/impl/feature_cache-inl.hpp>
#endif
