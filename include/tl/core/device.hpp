#pragma once
// tl::Device and the device tl picks by default: CUDA when LibTorch has it, else the CPU.
#include <tl/core/config.hpp>

#include <c10/core/Device.h>

namespace tl {

using Device = c10::Device;

/// CUDA when LibTorch was built with it and a GPU is visible, else the CPU:
/// `model.to(tl::default_device());` — fit/evaluate/predict move each batch to the model's device.
Device default_device();

}  // namespace tl

#ifdef TL_HEADER_ONLY
#include <tl/core/impl/device-inl.hpp>
#endif
