#pragma once
#include <tl/io/detail/object_path.hpp>

namespace tl::io::detail {

TL_INLINE std::string object_path(const std::string& base, const std::string& child) {
  if (child.empty()) return base;
  if (child.front() == '/') return child;
  return base == "/" ? "/" + child : base + "/" + child;
}

TL_INLINE std::string object_in_file(const std::string& path, const std::string& file) {
  return "`" + path + "` in file " + file;
}

}  // namespace tl::io::detail
