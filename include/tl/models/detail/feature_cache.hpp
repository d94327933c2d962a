#pragma once
// Chollet's "bottleneck features", done for the user: when everything below the first trainable layer is
// frozen and the data is deterministic, the frozen part runs once per sample and later epochs reuse it.
#include <tl/utils/sequence.hpp>

#include <torch/torch.h>

#include <iostream>
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
  void store(const std::vector<int64_t>& ids, const torch::Tensor& features, const utils::Batch& b, int64_t steps) {
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
  /// Ends the first pass: later passes read from the cache when every sample was seen.
  void finish_pass() {
    if (!enabled_ || complete_ || features_.empty()) return;
    features_ = {torch::cat(features_)};
    y_ = {y_[0].defined() ? torch::cat(y_) : torch::Tensor()};
    w_ = {w_[0].defined() ? torch::cat(w_) : torch::Tensor()};
    complete_ = true;
  }
  /// The cached features, labels and sample weights of these samples; false if one was never seen.
  bool gather(const std::vector<int64_t>& ids, torch::Tensor& features, utils::Batch& b) const {
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

 private:
  void disable() {
    enabled_ = false;
    features_.clear();
    y_.clear();
    w_.clear();
    position_.clear();
  }

  int cut_;
  int64_t max_bytes_;
  bool enabled_ = true, complete_ = false;
  int64_t rows_ = 0;
  std::vector<torch::Tensor> features_, y_, w_;
  std::unordered_map<int64_t, int64_t> position_;
};

}  // namespace tl::models::detail
