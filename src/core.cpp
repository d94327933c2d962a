// tl::tl_compiled: the definitions of tl/core, compiled once (see include/tl/core/config.hpp).
#include <tl/core/detail/impl/python_format-inl.hpp>
#include <tl/core/impl/backend-inl.hpp>
#include <tl/core/impl/device-inl.hpp>
#include <tl/core/impl/json-inl.hpp>
