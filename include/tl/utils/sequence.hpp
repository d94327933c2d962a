#pragma once
// Keras's `keras.utils.Sequence`: the batch source `fit`, `evaluate` and `predict` iterate over.
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace tl::utils {

/// One batch, in Keras's layout: x is NHWC for images; y and sample_weight may be undefined.
struct Batch {
  torch::Tensor x;
  torch::Tensor y;
  torch::Tensor sample_weight;
};

/// A source of batches with random access, as Keras's Sequence (`__len__`, `__getitem__`, `on_epoch_end`).
/// DirectoryIterator, NumpyArrayIterator and user datasets derive from it.
class Sequence {
 public:
  TL_INLINE virtual ~Sequence();
  /// Number of batches per epoch (Keras's `len(seq)`).
  virtual int64_t size() const = 0;
  /// Batch `index`, 0 <= index < size() (Keras's `seq[index]`).
  virtual Batch get_batch(int64_t index) = 0;
  /// Called by `fit` after every epoch, e.g. to reshuffle. Does nothing by default.
  TL_INLINE virtual void on_epoch_end();
  /// True when every sample always decodes to the same x and y (no random augmentation). With batch_ids(),
  /// this lets `fit` compute a frozen base once per sample and reuse it in later epochs. False by default.
  TL_INLINE virtual bool deterministic() const;
  /// Ids (0 <= id < sample count) of the samples in batch `index` in this epoch's order; empty when unknown
  /// (the default).
  TL_INLINE virtual std::vector<int64_t> batch_ids(int64_t index) const;

  // Data-parallel training (tl::distribute): every worker iterates over the same global batches and takes its own
  // rows of each, shard_rows(n, rank, world), so that the workers together see exactly one process's batches.

  /// Worker `rank`'s rows of batch `index` (of `world` workers). The default loads the whole batch and keeps the
  /// rows; an iterator that can load only those rows overrides it (DirectoryIterator decodes 1/world of the images).
  TL_INLINE virtual Batch get_batch_shard(int64_t index, int rank, int world);
  /// The ids of those rows (batch_ids(index) sliced the same way).
  TL_INLINE virtual std::vector<int64_t> batch_ids_shard(int64_t index, int rank, int world) const;
  /// One seed for every worker, given before a distributed fit: a sequence that draws at random without a seed of
  /// its own (flow_from_directory without `seed`, arrays with `shuffle`) draws from it from now on, so that all
  /// workers draw the same. A sequence with its own seed ignores it; does nothing by default.
  TL_INLINE virtual void set_shared_seed(uint32_t seed);

  Batch operator[](int64_t index) { return get_batch(index); }
};

/// Worker `rank`'s contiguous rows [begin, begin + count) of a global batch of `n` rows split over `world`
/// workers: sizes differ by at most one, the first `n % world` workers take one more (33 = 17 + 16).
struct ShardRows {
  int64_t begin = 0;
  int64_t count = 0;
};
ShardRows shard_rows(int64_t n, int rank, int world);

}  // namespace tl::utils

namespace tl {
using utils::Batch;
using utils::Sequence;
}  // namespace tl

#ifdef TL_HEADER_ONLY
#include <tl/utils/impl/sequence-inl.hpp>
#endif
