#pragma once
#include <tl/preprocessing/image/pil_image.hpp>

namespace tl::preprocessing::image {

TL_INLINE std::string Image::mode() const {
  switch (channels) {
    case 1: return "L";
    case 2: return "LA";
    case 3: return "RGB";
    case 4: return "RGBA";
    default: return "?";
  }
}

namespace detail {
TL_INLINE Image blank_image(int width, int height, int channels) {
  return Image{width, height, channels, std::vector<uint8_t>(static_cast<size_t>(width) * height * channels)};
}

TL_INLINE int channels_for(const std::string& color_mode) {
  if (color_mode == "grayscale") return 1;
  if (color_mode == "rgb") return 3;
  if (color_mode == "rgba") return 4;
  throw ValueError("color_mode must be \"grayscale\", \"rgb\", or \"rgba\"; got \"" + color_mode + "\"");
}
}  // namespace detail

}  // namespace tl::preprocessing::image
