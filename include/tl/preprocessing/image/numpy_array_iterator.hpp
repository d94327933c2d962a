#pragma once
// Keras's NumpyArrayIterator: batches of augmented in-memory images (N, H, W, C) with their labels; batching,
// threads and shuffling are IteratorCore's (detail/batch_iterator.hpp).
// image_data_generator.hpp first: it includes the iterators after its class, so this order has no cycle.
#include <tl/preprocessing/image/image_data_generator.hpp>
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/batch_iterator.hpp>

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace tl::preprocessing::image {

namespace detail {
/// In-memory samples x (N, H, W, C) with optional labels y and sample weights (N, ...).
struct ArraySource final : SampleSource {
  torch::Tensor x, y, sample_weight;

  TL_INLINE int64_t count() const override;
  TL_INLINE std::vector<int64_t> sample_shape() const override;
  TL_INLINE torch::Tensor load(int64_t id) const override;
  TL_INLINE void add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const override;
};

/// Keras's check that a subset split leaves the same label set on both sides.
void check_same_classes(const torch::Tensor& y, int64_t split);
}  // namespace detail

/// Batches from in-memory arrays, as Keras's NumpyArrayIterator (a utils::Sequence); made by gen.flow(x, y).
///   auto it = tl::ImageDataGenerator({.horizontal_flip = true}).flow(x, y, {.batch_size = 16, .seed = 1});
class NumpyArrayIterator : public detail::CoreSequence {
 public:
  NumpyArrayIterator(torch::Tensor x, torch::Tensor y, const ImageDataGenerator& generator, const FlowOptions& options = {});

  torch::Tensor x, y, sample_weight;  ///< the arrays (after the subset cut)
  int64_t n = 0;
  int64_t batch_size = 32;
};

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/numpy_array_iterator-inl.hpp>
#endif
