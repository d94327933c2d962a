#pragma once
// When a layer may write its result into an input's memory instead of a new tensor. A large new tensor is fresh
// pages from the kernel on every batch, which costs about as much as a ReLU or an Add itself: in place, they made
// ResNet50's frozen forward ~30 % faster (the same as torch.jit.freeze's in-place graph).
#include <torch/types.h>

namespace tl::detail {

/// True when an in-place operation on `t` is invisible to everyone else: the caller's handle is the only one on
/// the tensor and the tensor the only one on its memory (no view, no saved-for-backward copy, not the user's
/// batch), autograd does not want its value, and it is not an inference tensor outside inference mode.
inline bool reusable(const torch::Tensor& t) {
  if (!t.defined() || !t.has_storage() || t.use_count() != 1 || t.storage().use_count() != 1) return false;
  if (torch::GradMode::is_enabled() && t.requires_grad()) return false;
  return !t.is_inference() || c10::InferenceMode::is_enabled();
}

}  // namespace tl::detail
