#pragma once
#include <tl/preprocessing/image/detail/decoded_image.hpp>

namespace tl::preprocessing::image::detail {

TL_INLINE const char* mode_name(PilMode mode) {
  switch (mode) {
    case PilMode::bilevel: return "1";
    case PilMode::L: return "L";
    case PilMode::P: return "P";
    case PilMode::I: return "I";
    case PilMode::LA: return "LA";
    case PilMode::RGB: return "RGB";
    case PilMode::RGBA: return "RGBA";
    case PilMode::CMYK: return "CMYK";
  }
  return "?";
}

TL_INLINE int mode_bands(PilMode mode) {
  switch (mode) {
    case PilMode::LA: return 2;
    case PilMode::RGB: return 3;
    case PilMode::RGBA:
    case PilMode::CMYK: return 4;
    case PilMode::I: return 0;
    default: return 1;
  }
}

TL_INLINE DecodedImage DecodedImage::blank(PilMode mode, int width, int height) {
  DecodedImage im;
  im.mode = mode;
  im.width = width;
  im.height = height;
  const size_t n = static_cast<size_t>(width) * static_cast<size_t>(height);
  if (mode == PilMode::I) im.ints.assign(n, 0);
  else im.pixels.assign(n * static_cast<size_t>(mode_bands(mode)), 0);
  if (mode == PilMode::P) {
    im.palette.resize(1024);
    for (int i = 0; i < 256; ++i) {
      im.palette[i * 4] = im.palette[i * 4 + 1] = im.palette[i * 4 + 2] = static_cast<uint8_t>(i);
      im.palette[i * 4 + 3] = 255;
    }
  }
  return im;
}

TL_INLINE void DecodedImage::put_palette(const uint8_t* data, size_t size, int entry_bytes, bool bgr) {
  const size_t entries = size / static_cast<size_t>(entry_bytes);
  if (entries > 256) refuse(DecodeFailure::unsupported, "palette of " + std::to_string(entries) + " entries");
  for (size_t i = 0; i < entries; ++i) {
    const uint8_t* e = data + i * static_cast<size_t>(entry_bytes);
    palette[i * 4] = bgr ? e[2] : e[0];
    palette[i * 4 + 1] = e[1];
    palette[i * 4 + 2] = bgr ? e[0] : e[2];
    palette[i * 4 + 3] = 255;
  }
}

TL_INLINE DecodeFailure::DecodeFailure(Kind k, const std::string& why) : std::runtime_error(why), kind(k) {}

TL_INLINE void refuse(DecodeFailure::Kind kind, const std::string& why) { throw DecodeFailure(kind, why); }

TL_INLINE std::atomic<int64_t>& max_image_pixels_limit() {
  static std::atomic<int64_t> limit{2 * int64_t{89478485}};
  return limit;
}

TL_INLINE void bomb_check(int64_t width, int64_t height) {
  // Sizes come from headers (up to 2^32 - 1 each): compare without overflowing, print the exact product.
  const int64_t limit = max_image_pixels_limit();
  if (width <= 0 || height <= 0 || (width <= limit && height <= limit / width)) return;
  const uint64_t pixels = static_cast<uint64_t>(width) * static_cast<uint64_t>(height);
  refuse(DecodeFailure::too_large, "image size (" + std::to_string(pixels) + " pixels) exceeds limit of " +
                                       std::to_string(limit) + " pixels, could be decompression bomb DOS attack");
}

}  // namespace tl::preprocessing::image::detail
