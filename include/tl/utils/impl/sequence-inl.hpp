#pragma once
#include <tl/utils/sequence.hpp>

namespace tl::utils {

TL_INLINE Sequence::~Sequence() = default;
TL_INLINE void Sequence::on_epoch_end() {}
TL_INLINE bool Sequence::deterministic() const { return false; }
TL_INLINE std::vector<int64_t> Sequence::batch_ids(int64_t /*index*/) const { return {}; }

}  // namespace tl::utils
