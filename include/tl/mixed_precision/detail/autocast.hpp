#pragma once
// LibTorch's autocast, entered and left like Python's `torch.autocast(device, dtype)` block.
#include <tl/mixed_precision/policy.hpp>

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace tl::mixed_precision::detail {

// LibTorch 2.4 replaced the per-device calls (set_enabled, set_cpu_enabled, ...) with ones taking the device.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
inline bool autocast_enabled(c10::DeviceType d) { return at::autocast::is_autocast_enabled(d); }
inline void set_autocast_enabled(c10::DeviceType d, bool on) { at::autocast::set_autocast_enabled(d, on); }
inline at::ScalarType autocast_dtype(c10::DeviceType d) { return at::autocast::get_autocast_dtype(d); }
inline void set_autocast_dtype(c10::DeviceType d, at::ScalarType t) { at::autocast::set_autocast_dtype(d, t); }
#else
inline bool autocast_enabled(c10::DeviceType d) {
  return d == c10::DeviceType::CUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
inline void set_autocast_enabled(c10::DeviceType d, bool on) {
  d == c10::DeviceType::CUDA ? at::autocast::set_enabled(on) : at::autocast::set_cpu_enabled(on);
}
inline at::ScalarType autocast_dtype(c10::DeviceType d) {
  return d == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
inline void set_autocast_dtype(c10::DeviceType d, at::ScalarType t) {
  d == c10::DeviceType::CUDA ? at::autocast::set_autocast_gpu_dtype(t) : at::autocast::set_autocast_cpu_dtype(t);
}
#endif

/// True when the CPU computes in bfloat16 natively (AVX512-BF16 or AMX): elsewhere oneDNN emulates it, and
/// ResNet50 under bf16 autocast measured ~30x slower than float32 (bench/README.md).
inline bool cpu_has_native_bfloat16() {
  static const bool native = [] {
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);)
      if (line.starts_with("flags")) return line.find(" avx512_bf16") != line.npos || line.find(" amx_bf16") != line.npos;
    return false;
  }();
  return native;
}

/// Whether mixed_bfloat16 autocasts on the CPU: where the CPU has native bfloat16, unless TL_CPU_BFLOAT16 says
/// otherwise ("1" forces it, "0" turns it off).
inline bool cpu_bfloat16_autocast() {
  const char* forced = std::getenv("TL_CPU_BFLOAT16");
  if (forced && *forced) return std::string(forced) != "0";
  return cpu_has_native_bfloat16();
}

/// Says `message` on stderr once per process (Keras prints its mixed precision compatibility note once too).
inline void note_once(const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> said;
  std::lock_guard lock(mutex);
  if (said.insert(message).second) std::cerr << message << std::endl;
}

/// The dtype `policy` autocasts to on `device`, or nullopt where it computes in float32: the float32 policy,
/// devices other than CPU and CUDA, float16 on the CPU (LibTorch's CPU autocast has bfloat16 only) and bfloat16 on
/// a CPU without native bfloat16 (see cpu_bfloat16_autocast). On the CPU it tells once why.
inline std::optional<at::ScalarType> autocast_target(const Policy& policy, c10::DeviceType device) {
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

/// While alive, ops on `device` autocast to the policy's compute dtype; restores the previous state on exit and
/// empties autocast's weight cache when the outermost scope ends, as `torch.autocast.__exit__`.
class AutocastScope {
 public:
  AutocastScope(const Policy& policy, torch::Device device) : device_(device.type()) {
    const auto target = autocast_target(policy, device_);
    if (!target) return;
    active_ = true;
    previous_enabled_ = autocast_enabled(device_);
    previous_dtype_ = autocast_dtype(device_);
    set_autocast_enabled(device_, true);
    set_autocast_dtype(device_, *target);
    at::autocast::increment_nesting();
  }
  ~AutocastScope() {
    if (!active_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    set_autocast_enabled(device_, previous_enabled_);
    set_autocast_dtype(device_, previous_dtype_);
  }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;
  /// True when this scope turned autocast on.
  bool active() const { return active_; }

 private:
  c10::DeviceType device_;
  bool active_ = false;
  bool previous_enabled_ = false;
  at::ScalarType previous_dtype_ = at::kFloat;
};

}  // namespace tl::mixed_precision::detail
