// tl::tl_compiled: the definitions of tl/losses and tl/metrics (which build on the losses), compiled once
// (see include/tl/core/config.hpp).
#include <tl/losses/impl/binary_crossentropy-inl.hpp>
#include <tl/losses/impl/categorical_crossentropy-inl.hpp>
#include <tl/losses/impl/loss-inl.hpp>
#include <tl/losses/impl/loss_function_wrapper-inl.hpp>
#include <tl/losses/impl/losses-inl.hpp>
#include <tl/losses/impl/losses_utils-inl.hpp>
#include <tl/losses/impl/mean_absolute_error-inl.hpp>
#include <tl/losses/impl/mean_squared_error-inl.hpp>
#include <tl/losses/impl/sparse_categorical_crossentropy-inl.hpp>
#include <tl/metrics/impl/accuracy-inl.hpp>
#include <tl/metrics/impl/mean-inl.hpp>
#include <tl/metrics/impl/metric-inl.hpp>
#include <tl/metrics/impl/metrics-inl.hpp>
