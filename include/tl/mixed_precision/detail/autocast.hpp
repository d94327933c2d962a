#pragma once
// LibTorch's autocast, entered and left like Python's `torch.autocast(device, dtype)` block.
#include <tl/core/config.hpp>
#include <tl/mixed_precision/policy.hpp>

#include <torch/types.h>

#include <optional>
#include <string>

namespace tl::mixed_precision::detail {

/// LibTorch's autocast state of one device type (CPU or CUDA); one signature for LibTorch 1.13 and 2.x.
bool autocast_enabled(c10::DeviceType d);
void set_autocast_enabled(c10::DeviceType d, bool on);
at::ScalarType autocast_dtype(c10::DeviceType d);
void set_autocast_dtype(c10::DeviceType d, at::ScalarType t);

/// True when the CPU computes in bfloat16 natively (AVX512-BF16 or AMX): elsewhere oneDNN emulates it, and
/// ResNet50 under bf16 autocast measured ~30x slower than float32 (bench/README.md).
bool cpu_has_native_bfloat16();

/// Whether mixed_bfloat16 autocasts on the CPU: where the CPU has native bfloat16, unless TL_CPU_BFLOAT16 says
/// otherwise ("1" forces it, "0" turns it off).
bool cpu_bfloat16_autocast();

/// Says `message` on stderr once per process (Keras prints its mixed precision compatibility note once too).
void note_once(const std::string& message);

/// The dtype `policy` autocasts to on `device`, or nullopt where it computes in float32: the float32 policy,
/// devices other than CPU and CUDA, float16 on the CPU (LibTorch's CPU autocast has bfloat16 only) and bfloat16 on
/// a CPU without native bfloat16 (see cpu_bfloat16_autocast). On the CPU it tells once why.
std::optional<at::ScalarType> autocast_target(const Policy& policy, c10::DeviceType device);

/// While alive, ops on `device` autocast to the policy's compute dtype; restores the previous state on exit and
/// empties autocast's weight cache when the outermost scope ends, as `torch.autocast.__exit__`.
class AutocastScope {
 public:
  AutocastScope(const Policy& policy, torch::Device device);
  ~AutocastScope();
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

#ifdef TL_HEADER_ONLY
#include <tl/mixed_precision/detail/impl/autocast-inl.hpp>
#endif
