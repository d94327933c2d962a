#pragma once
#include <tl/mixed_precision/detail/autocast.hpp>

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>

namespace tl::mixed_precision::detail {

// LibTorch 2.4 replaced the per-device calls (set_enabled, set_cpu_enabled, ...) with ones taking the device.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
TL_INLINE bool autocast_enabled(c10::DeviceType d) { return at::autocast::is_autocast_enabled(d); }
TL_INLINE void set_autocast_enabled(c10::DeviceType d, bool on) { at::autocast::set_autocast_enabled(d, on); }
TL_INLINE at::ScalarType autocast_dtype(c10::DeviceType d) { return at::autocast::get_autocast_dtype(d); }
TL_INLINE void set_autocast_dtype(c10::DeviceType d, at::ScalarType t) { at::autocast::set_autocast_dtype(d, t); }
#else
TL_INLINE bool autocast_enabled(c10::DeviceType d) {
  return d == c10::DeviceType::CUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
TL_INLINE void set_autocast_enabled(c10::DeviceType d, bool on) {
  d == c10::DeviceType::CUDA ? at::autocast::set_enabled(on) : at::autocast::set_cpu_enabled(on);
}
TL_INLINE at::ScalarType autocast_dtype(c10::DeviceType d) {
  return d == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
TL_INLINE void set_autocast_dtype(c10::DeviceType d, at::ScalarType t) {
  d == c10::DeviceType::CUDA ? at::autocast::set_autocast_gpu_dtype(t) : at::autocast::set_autocast_cpu_dtype(t);
}
#endif

TL_INLINE bool cpu_has_native_bfloat16() {
  static const bool native = [] {
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);)
      if (line.starts_with("flags")) return line.find(" avx512_bf16") != line.npos || line.find(" amx_bf16") != line.npos;
    return false;
  }();
  return native;
}

TL_INLINE bool cpu_bfloat16_autocast() {
  const char* forced = std::getenv("TL_CPU_BFLOAT16");
  if (forced && *forced) return std::string(forced) != "0";
  return cpu_has_native_bfloat16();
}

TL_INLINE void note_once(const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> said;
  std::lock_guard lock(mutex);
  if (said.insert(message).second) std::cerr << message << std::endl;
}

TL_INLINE std::optional<at::ScalarType> autocast_target(const Policy& policy, c10::DeviceType device) {
  if (!policy.mixed()) return std::nullopt;
  if (device == c10::DeviceType::CUDA) return policy.compute_scalar_type();
  if (device != c10::DeviceType::CPU) return std::nullopt;
  if (policy.compute_scalar_type() == at::kHalf) {
    note_once("tl: the mixed_float16 policy computes in float32 on the CPU (LibTorch's CPU autocast has no float16); "
              "it takes effect on a CUDA device.");
    return std::nullopt;
  }
  if (cpu_bfloat16_autocast()) return at::kBFloat16;
  note_once("tl: the mixed_bfloat16 policy computes in float32 on this CPU: without native bfloat16 (AVX512-BF16 or "
            "AMX) bfloat16 autocast runs many times slower than float32 (docs/performance.md). TL_CPU_BFLOAT16=1 "
            "forces it.");
  return std::nullopt;
}

TL_INLINE AutocastScope::AutocastScope(const Policy& policy, torch::Device device) : device_(device.type()) {
  const auto target = autocast_target(policy, device_);
  if (!target) return;
  active_ = true;
  previous_enabled_ = autocast_enabled(device_);
  previous_dtype_ = autocast_dtype(device_);
  set_autocast_enabled(device_, true);
  set_autocast_dtype(device_, *target);
  at::autocast::increment_nesting();
}

TL_INLINE AutocastScope::~AutocastScope() {
  if (!active_) return;
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast_enabled(device_, previous_enabled_);
  set_autocast_dtype(device_, previous_dtype_);
}

}  // namespace tl::mixed_precision::detail
