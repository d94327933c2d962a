#pragma once
// In-memory arrays as a Sequence: what `fit(x, y, {.batch_size, .shuffle})` iterates over.
#include <tl/core/config.hpp>
#include <tl/utils/sequence.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace tl::models::detail {

/// Batches of (x, y, sample_weight) slices, reshuffled after every epoch when `shuffle` is set.
class TensorSequence : public utils::Sequence {
 public:
  TensorSequence(torch::Tensor x, torch::Tensor y, torch::Tensor sample_weight, int64_t batch_size, bool shuffle);
  TL_INLINE int64_t size() const override;
  TL_INLINE utils::Batch get_batch(int64_t index) override;
  TL_INLINE void on_epoch_end() override;
  TL_INLINE bool deterministic() const override;
  TL_INLINE std::vector<int64_t> batch_ids(int64_t index) const override;
  /// A distributed fit: shuffles from now on with a generator of its own seeded with `seed`, the same on every
  /// worker (one process shuffles with the global generator, as `torch::randperm` does).
  TL_INLINE void set_shared_seed(uint32_t seed) override;

 private:
  void check_rows(const torch::Tensor& t, const char* what) const;
  void reorder();
  torch::Tensor ids_for(int64_t index) const;

  torch::Tensor x_, y_, w_, order_;
  std::optional<torch::Generator> generator_;
  int64_t batch_size_;
  bool shuffle_;
};

}  // namespace tl::models::detail

#ifdef TL_HEADER_ONLY
#include <tl/models/detail/impl/tensor_sequence-inl.hpp>
#endif
