#pragma once
// Keras's `keras.utils.Sequence`: the batch source `fit`, `evaluate` and `predict` iterate over.
#include <torch/torch.h>

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
  virtual ~Sequence() = default;
  /// Number of batches per epoch (Keras's `len(seq)`).
  virtual int64_t size() const = 0;
  /// Batch `index`, 0 <= index < size() (Keras's `seq[index]`).
  virtual Batch get_batch(int64_t index) = 0;
  /// Called by `fit` after every epoch, e.g. to reshuffle.
  virtual void on_epoch_end() {}
  /// True when every sample always decodes to the same x and y (no random augmentation). With batch_ids(),
  /// this lets `fit` compute a frozen base once per sample and reuse it in later epochs.
  virtual bool deterministic() const { return false; }
  /// Ids (0 <= id < sample count) of the samples in batch `index` in this epoch's order; empty when unknown.
  virtual std::vector<int64_t> batch_ids(int64_t /*index*/) const { return {}; }

  Batch operator[](int64_t index) { return get_batch(index); }
};

}  // namespace tl::utils

namespace tl {
using utils::Batch;
using utils::Sequence;
}  // namespace tl
