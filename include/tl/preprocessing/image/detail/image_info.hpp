#pragma once
// What a decoder reads from an image file's header, before any pixel: shared by the decoder table
// (decoders.hpp) and each decoder (stb_codec.hpp, ...), which must not include one another.
namespace tl::preprocessing::image::detail {

/// An image's size and channels as its header gives them.
struct ImageInfo {
  int width = 0;
  int height = 0;
  int channels = 0;
};

}  // namespace tl::preprocessing::image::detail
