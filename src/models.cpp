// tl::tl_compiled: the definitions of tl/models except the training loop (src/training.cpp), compiled once
// (see include/tl/core/config.hpp).
#include <tl/models/detail/impl/conv_bn_fold-inl.hpp>
#include <tl/models/detail/impl/data_parallel-inl.hpp>
#include <tl/models/detail/impl/graph-inl.hpp>
#include <tl/models/detail/impl/interrupt-inl.hpp>
#include <tl/models/impl/functional-inl.hpp>
#include <tl/models/impl/load_model-inl.hpp>
#include <tl/models/impl/model-inl.hpp>
#include <tl/models/impl/sequential-inl.hpp>
#include <tl/models/impl/serialization-inl.hpp>
#include <tl/models/impl/summary-inl.hpp>
