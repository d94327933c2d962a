#pragma once
#include <tl/models/detail/feature_cache.hpp>

#include <iostream>

namespace tl::models::detail {

TL_INLINE void FeatureCache::store(const std::vector<int64_t>& ids, const torch::Tensor& features,
                                   const utils::Batch& b, int64_t steps) {
  if (!enabled_ || complete_) return;
  const int64_t projected = features.nbytes() * steps;
  if (projected > max_bytes_) {
    std::cerr << "tl: feature cache off: it would need " << projected / (1 << 20) << " MiB, over the limit of "
              << max_bytes_ / (1 << 20) << " MiB (FitOptions::feature_cache_max_mb)\n";
    return disable();
  }
  for (size_t i = 0; i < ids.size(); ++i) position_.emplace(ids[i], rows_ + int64_t(i));
  rows_ += int64_t(ids.size());
  features_.push_back(features.detach());
  y_.push_back(b.y);
  w_.push_back(b.sample_weight);
}

TL_INLINE void FeatureCache::finish_pass() {
  if (!enabled_ || complete_ || features_.empty()) return;
  features_ = {torch::cat(features_)};
  y_ = {y_[0].defined() ? torch::cat(y_) : torch::Tensor()};
  w_ = {w_[0].defined() ? torch::cat(w_) : torch::Tensor()};
  complete_ = true;
}

TL_INLINE bool FeatureCache::gather(const std::vector<int64_t>& ids, torch::Tensor& features, utils::Batch& b) const {
  std::vector<int64_t> rows;
  for (auto id : ids) {
    auto it = position_.find(id);
    if (it == position_.end()) return false;
    rows.push_back(it->second);
  }
  const auto index = torch::tensor(rows, torch::kLong).to(features_[0].device());
  features = features_[0].index_select(0, index);
  auto take = [&](const torch::Tensor& t) { return t.defined() ? t.index_select(0, index.to(t.device())) : t; };
  b.y = take(y_[0]);
  b.sample_weight = take(w_[0]);
  return true;
}

TL_INLINE void FeatureCache::disable() {
  enabled_ = false;
  features_.clear();
  y_.clear();
  w_.clear();
  position_.clear();
}

}  // namespace tl::models::detail
