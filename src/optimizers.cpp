// tl::tl_compiled: the definitions of tl/optimizers and tl/mixed_precision (its LossScaleOptimizer wraps an
// optimizer), compiled once (see include/tl/core/config.hpp).
#include <tl/mixed_precision/detail/impl/autocast-inl.hpp>
#include <tl/mixed_precision/impl/loss_scale_optimizer-inl.hpp>
#include <tl/mixed_precision/impl/policy-inl.hpp>
#include <tl/optimizers/impl/adam-inl.hpp>
#include <tl/optimizers/impl/optimizer-inl.hpp>
#include <tl/optimizers/impl/optimizers-inl.hpp>
#include <tl/optimizers/impl/rmsprop-inl.hpp>
#include <tl/optimizers/impl/sgd-inl.hpp>
