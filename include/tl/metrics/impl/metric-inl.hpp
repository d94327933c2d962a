#pragma once
#include <tl/metrics/metric.hpp>

namespace tl::metrics {

TL_INLINE Metric::~Metric() = default;

}  // namespace tl::metrics
