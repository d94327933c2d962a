#pragma once
// Stand-in for a header Debian's libtorch-dev 1.13.1 does not ship (torch/csrc/distributed/autograd/ is left
// out), which c10d/reducer.hpp includes for two names only: DistAutogradContext::GradCallback (a static_assert
// that it is std::function<bool(at::Tensor&)>) and ContextPtr (a std::shared_ptr member of Reducer::RpcContext).
// Both have the layout of the real ones, so Reducer's object layout is unchanged. Only c10d_probe.cpp's
// -DPROBE_REDUCER build puts this directory on the include path; pip wheels ship the real header.
#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>

namespace torch::distributed::autograd {
class DistAutogradContext {
 public:
  using GradCallback = std::function<bool(at::Tensor&)>;
};
using ContextPtr = std::shared_ptr<DistAutogradContext>;
}  // namespace torch::distributed::autograd
