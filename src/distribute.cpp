// tl::tl_compiled: tl/distribute (strategies, cluster resolution, launcher), compiled once (see
// include/tl/core/config.hpp). The only translation unit that includes c10d's and gloo's headers.
#include <tl/distribute/impl/cluster_resolver-inl.hpp>
#include <tl/distribute/impl/communicator-inl.hpp>
#include <tl/distribute/impl/launch-inl.hpp>
#include <tl/distribute/impl/replica-inl.hpp>
#include <tl/distribute/impl/strategy-inl.hpp>
