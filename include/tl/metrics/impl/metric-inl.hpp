#pragma once
#include <tl/metrics/metric.hpp>

namespace tl::metrics {

TL_INLINE Metric::~Metric() = default;
TL_INLINE std::vector<torch::Tensor> Metric::variables() { return {}; }

}  // namespace tl::metrics
