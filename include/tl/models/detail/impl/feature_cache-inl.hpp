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

TL_INLINE FeatureCache::Rows FeatureCache::rows() const {
  Rows out;
  if (features_.empty()) return out;
  std::vector<int64_t> ids(static_cast<size_t>(rows_), -1);
  for (const auto& [id, row] : position_) ids[static_cast<size_t>(row)] = id;
  out.ids = torch::tensor(ids, torch::kLong);
  out.features = torch::cat(features_);
  out.y = y_[0].defined() ? torch::cat(y_) : torch::Tensor();
  out.w = w_[0].defined() ? torch::cat(w_) : torch::Tensor();
  return out;
}

TL_INLINE void FeatureCache::adopt(const Rows& all) {
  features_ = {all.features};
  y_ = {all.y};
  w_ = {all.w};
  position_.clear();
  rows_ = all.ids.size(0);
  const auto ids = all.ids.to(torch::kCPU, torch::kLong).contiguous();
  for (int64_t row = 0; row < rows_; ++row)
    if (const int64_t id = ids.data_ptr<int64_t>()[row]; id >= 0) position_.emplace(id, row);
  complete_ = true;
}

TL_INLINE void FeatureCache::disable() {
  enabled_ = false;
  features_.clear();
  y_.clear();
  w_.clear();
  position_.clear();
}

}  // namespace tl::models::detail
