#pragma once
#include <tl/preprocessing/image/detail/stb_codec.hpp>

#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/detail/stb.hpp>

#include <climits>

namespace tl::preprocessing::image::detail {

TL_INLINE ImageInfo stb_open(const uint8_t* data, size_t size) {
  int w = 0, h = 0, c = 0;
  if (size > static_cast<size_t>(INT32_MAX) || !stb::stbi_info_from_memory(data, static_cast<int>(size), &w, &h, &c)) {
    const char* why = stb::stbi_failure_reason();
    refuse(DecodeFailure::unidentified, why ? why : "unknown image format");
  }
  static const char* const modes[] = {"L", "L", "LA", "RGB", "RGBA"};
  return {w, h, modes[c >= 1 && c <= 4 ? c : 0]};
}

TL_INLINE DecodedImage stb_decode(const uint8_t* data, size_t size) {
  const ImageInfo info = stb_open(data, size);
  bomb_check(info.width, info.height);
  int w = 0, h = 0, c = 0;
  uint8_t* pixels = stb::stbi_load_from_memory(data, static_cast<int>(size), &w, &h, &c, 0);
  if (!pixels) {
    const char* why = stb::stbi_failure_reason();
    refuse(DecodeFailure::corrupt, why ? why : "stb_image cannot decode it");
  }
  static const PilMode modes[] = {PilMode::L, PilMode::L, PilMode::LA, PilMode::RGB, PilMode::RGBA};
  DecodedImage im;
  im.mode = modes[c >= 1 && c <= 4 ? c : 0];
  im.width = w;
  im.height = h;
  im.pixels.assign(pixels, pixels + static_cast<size_t>(w) * static_cast<size_t>(h) * static_cast<size_t>(c));
  stb::stbi_image_free(pixels);
  return im;
}

TL_INLINE bool stb_write_png(const std::string& path, const Image& img) {
  return stb::stbi_write_png(path.c_str(), img.width, img.height, img.channels, img.pixels.data(), img.width * img.channels) != 0;
}

TL_INLINE bool stb_write_jpg(const std::string& path, const Image& img, int quality) {
  return stb::stbi_write_jpg(path.c_str(), img.width, img.height, img.channels, img.pixels.data(), quality) != 0;
}

TL_INLINE bool stb_write_bmp(const std::string& path, const Image& img) {
  return stb::stbi_write_bmp(path.c_str(), img.width, img.height, img.channels, img.pixels.data()) != 0;
}

TL_INLINE bool stb_write_tga(const std::string& path, const Image& img) {
  return stb::stbi_write_tga(path.c_str(), img.width, img.height, img.channels, img.pixels.data()) != 0;
}

}  // namespace tl::preprocessing::image::detail
