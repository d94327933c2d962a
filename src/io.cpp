// tl::tl_compiled: the definitions of tl/io, compiled once (see include/tl/core/config.hpp). The only translation
// unit that includes <hdf5.h>.
#include <tl/io/detail/h5/impl/cursor-inl.hpp>
#include <tl/io/detail/h5/impl/messages-inl.hpp>
#include <tl/io/detail/h5/impl/objects-inl.hpp>
#include <tl/io/detail/h5/impl/reader-inl.hpp>
#include <tl/io/detail/impl/hdf5_attributes-inl.hpp>
#include <tl/io/detail/impl/object_path-inl.hpp>
#include <tl/io/impl/atomic_write-inl.hpp>
#include <tl/io/impl/hdf5-inl.hpp>
#include <tl/io/impl/keras_weights-inl.hpp>
