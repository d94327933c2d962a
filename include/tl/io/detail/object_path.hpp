#pragma once
// Paths of objects inside an HDF5 file, shared by tl's HDF5 reader and its libhdf5 writer.
#include <string>

namespace tl::io::detail {

/// The path of `child` inside the group at `base` ("/" is the root); an absolute `child` is its own path and an
/// empty one means the group itself.
inline std::string object_path(const std::string& base, const std::string& child) {
  if (child.empty()) return base;
  if (child.front() == '/') return child;
  return base == "/" ? "/" + child : base + "/" + child;
}

/// How error messages name an object: "`/model_weights/dense` in file model.h5".
inline std::string object_in_file(const std::string& path, const std::string& file) {
  return "`" + path + "` in file " + file;
}

}  // namespace tl::io::detail
