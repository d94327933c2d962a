#pragma once
// The decoded 8-bit image that load_img returns: what Keras's load_img returns as a PIL Image.
#include <tl/core/config.hpp>
#include <tl/core/errors.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tl::preprocessing::image {

/// An 8-bit image, rows top to bottom, channels interleaved: 1 = "L", 2 = "LA", 3 = "RGB", 4 = "RGBA".
///   auto img = tl::load_img("cat.jpg");  // img.width, img.height, img.mode() == "RGB"
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<uint8_t> pixels;  // height * width * channels

  /// PIL's mode name for the channel count.
  std::string mode() const;
  const uint8_t* row(int y) const { return pixels.data() + static_cast<size_t>(y) * width * channels; }
  uint8_t* row(int y) { return pixels.data() + static_cast<size_t>(y) * width * channels; }
};

namespace detail {
/// A black image (every byte 0).
Image blank_image(int width, int height, int channels);

/// Channels for a Keras color_mode ("grayscale", "rgb", "rgba"); ValueError for another name.
int channels_for(const std::string& color_mode);
}  // namespace detail

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/pil_image-inl.hpp>
#endif
