#pragma once
#include <tl/core/errors.hpp>
#include <tl/models/detail/tensor_sequence.hpp>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <string>
#include <utility>

namespace tl::models::detail {

TL_INLINE TensorSequence::TensorSequence(torch::Tensor x, torch::Tensor y, torch::Tensor sample_weight,
                                         int64_t batch_size, bool shuffle)
    : x_(std::move(x)), y_(std::move(y)), w_(std::move(sample_weight)), batch_size_(batch_size), shuffle_(shuffle) {
  tl::detail::check(x_.defined() && x_.dim() >= 1, "x must be a tensor with a batch dimension");
  tl::detail::check(batch_size_ > 0, "batch_size must be positive, got " + std::to_string(batch_size_));
  check_rows(y_, "y");
  check_rows(w_, "sample_weight");
  reorder();
}

TL_INLINE int64_t TensorSequence::size() const { return (x_.size(0) + batch_size_ - 1) / batch_size_; }

TL_INLINE utils::Batch TensorSequence::get_batch(int64_t index) {
  const auto ids = ids_for(index);
  auto take = [&](const torch::Tensor& t) { return t.defined() ? t.index_select(0, ids) : t; };
  return {take(x_), take(y_), take(w_)};
}

TL_INLINE void TensorSequence::on_epoch_end() { reorder(); }

TL_INLINE bool TensorSequence::deterministic() const { return true; }

TL_INLINE std::vector<int64_t> TensorSequence::batch_ids(int64_t index) const {
  auto ids = ids_for(index);
  return {ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + ids.numel()};
}

TL_INLINE void TensorSequence::set_shared_seed(uint32_t seed) {
  if (!shuffle_) return;
  generator_ = at::detail::createCPUGenerator(seed);
  reorder();
}

TL_INLINE void TensorSequence::check_rows(const torch::Tensor& t, const char* what) const {
  if (t.defined())
    tl::detail::check(t.size(0) == x_.size(0), std::string("Data cardinality is ambiguous: x sizes: ") +
                                                   std::to_string(x_.size(0)) + ", " + what +
                                                   " sizes: " + std::to_string(t.size(0)));
}

TL_INLINE void TensorSequence::reorder() {
  if (!shuffle_) order_ = torch::arange(x_.size(0), torch::kLong);
  else if (generator_) order_ = torch::randperm(x_.size(0), *generator_, torch::kLong);
  else order_ = torch::randperm(x_.size(0), torch::kLong);
}

TL_INLINE torch::Tensor TensorSequence::ids_for(int64_t index) const {
  tl::detail::check(index >= 0 && index < size(), "batch index " + std::to_string(index) + " out of range");
  return order_.slice(0, index * batch_size_, std::min(x_.size(0), (index + 1) * batch_size_));
}

}  // namespace tl::models::detail
