#pragma once
// Keras weight initializers by name, with Keras's fan computation (kernels given in Keras layout).
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <string>
#include <vector>

namespace tl::initializers {

/// A new float32 tensor of the given Keras-layout shape filled by the named initializer; an unknown name throws
/// ValueError listing the known ones.
torch::Tensor make(const std::string& name, const std::vector<int64_t>& shape);

/// Throws ValueError unless `name` is a known initializer (checked when a layer is constructed).
void validate(const std::string& name);

}  // namespace tl::initializers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/initializers-inl.hpp>
#endif
