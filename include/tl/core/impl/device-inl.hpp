#pragma once
#include <tl/core/device.hpp>

#include <torch/cuda.h>

namespace tl {

TL_INLINE Device default_device() { return torch::cuda::is_available() ? Device(c10::kCUDA) : Device(c10::kCPU); }

}  // namespace tl
