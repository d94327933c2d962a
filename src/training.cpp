// tl::tl_compiled: tl/models' training loop (compile, fit, evaluate, predict) and what only it uses, compiled
// once (see include/tl/core/config.hpp).
#include <tl/models/detail/impl/feature_cache-inl.hpp>
#include <tl/models/detail/impl/tensor_sequence-inl.hpp>
#include <tl/models/impl/training-inl.hpp>
