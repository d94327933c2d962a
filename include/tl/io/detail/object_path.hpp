#pragma once
// Paths of objects inside an HDF5 file, shared by tl's HDF5 reader (h5::FileReader) and its libhdf5 writer
// (Hdf5FileWriter).
#include <tl/core/config.hpp>

#include <string>

namespace tl::io::detail {

/// The path of `child` inside the group at `base` ("/" is the root); an absolute `child` is its own path and an
/// empty one means the group itself.
std::string object_path(const std::string& base, const std::string& child);

/// How error messages name an object: "`/model_weights/dense` in file model.h5".
std::string object_in_file(const std::string& path, const std::string& file);

}  // namespace tl::io::detail

#ifdef TL_HEADER_ONLY
#include <tl/io/detail/impl/object_path-inl.hpp>
#endif
