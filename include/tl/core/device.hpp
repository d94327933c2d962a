#pragma once
// tl::Device and the device tl picks by default: CUDA when LibTorch has it, else the CPU.
#include <torch/torch.h>

namespace tl {

using Device = torch::Device;

/// CUDA when LibTorch was built with it and a GPU is visible, else the CPU:
/// `model.to(tl::default_device());` — fit/evaluate/predict move each batch to the model's device.
inline Device default_device() { return torch::cuda::is_available() ? Device(torch::kCUDA) : Device(torch::kCPU); }

}  // namespace tl
