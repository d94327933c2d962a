#pragma once
// What Image.open learns from an image file's header, before any pixel: shared by the decoder table
// (decoders.hpp) and each decoder, which must not include one another.
#include <string>

namespace tl::preprocessing::image::detail {

/// An image's size and PIL mode ("RGB", "P", ...) as its header gives them.
struct ImageInfo {
  int width = 0;
  int height = 0;
  std::string mode;
};

}  // namespace tl::preprocessing::image::detail
