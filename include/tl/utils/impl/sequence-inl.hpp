#pragma once
#include <tl/utils/sequence.hpp>

#include <algorithm>

namespace tl::utils {

TL_INLINE Sequence::~Sequence() = default;
TL_INLINE void Sequence::on_epoch_end() {}
TL_INLINE bool Sequence::deterministic() const { return false; }
TL_INLINE std::vector<int64_t> Sequence::batch_ids(int64_t /*index*/) const { return {}; }

TL_INLINE Batch Sequence::get_batch_shard(int64_t index, int rank, int world) {
  auto b = get_batch(index);
  if (world <= 1) return b;
  const auto rows = shard_rows(b.x.size(0), rank, world);
  auto take = [&](const torch::Tensor& t) { return t.defined() ? t.narrow(0, rows.begin, rows.count) : t; };
  return {take(b.x), take(b.y), take(b.sample_weight)};
}

TL_INLINE std::vector<int64_t> Sequence::batch_ids_shard(int64_t index, int rank, int world) const {
  auto ids = batch_ids(index);
  if (world <= 1 || ids.empty()) return ids;
  const auto rows = shard_rows(static_cast<int64_t>(ids.size()), rank, world);
  return {ids.begin() + rows.begin, ids.begin() + rows.begin + rows.count};
}

TL_INLINE void Sequence::set_shared_seed(uint32_t /*seed*/) {}

TL_INLINE ShardRows shard_rows(int64_t n, int rank, int world) {
  const int64_t base = n / world, extra = n % world;
  return {rank * base + std::min<int64_t>(rank, extra), base + (rank < extra ? 1 : 0)};
}

}  // namespace tl::utils
