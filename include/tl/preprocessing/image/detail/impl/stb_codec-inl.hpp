#pragma once
#include <tl/preprocessing/image/detail/stb_codec.hpp>

#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/detail/stb.hpp>

namespace tl::preprocessing::image::detail {

TL_INLINE std::optional<ImageInfo> stb_info(const std::vector<uint8_t>& bytes) {
  ImageInfo info;
  if (!stb::stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &info.width, &info.height, &info.channels))
    return std::nullopt;
  return info;
}

TL_INLINE std::optional<ImageInfo> stb_file_info(const std::string& path) {
  ImageInfo info;
  if (!stb::stbi_info(path.c_str(), &info.width, &info.height, &info.channels)) return std::nullopt;
  return info;
}

TL_INLINE Image stb_decode(const std::vector<uint8_t>& bytes, const std::string& name) {
  int w = 0, h = 0, c = 0;
  uint8_t* data = stb::stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &c, 0);
  if (!data) {
    const char* why = stb::stbi_failure_reason();
    throw IOError(name + " is corrupt or truncated (" + (why ? why : "stb_image cannot decode it") + ")");
  }
  Image img{w, h, c, std::vector<uint8_t>(data, data + static_cast<size_t>(w) * h * c)};
  stb::stbi_image_free(data);
  return img;
}

TL_INLINE const char* stb_failure_reason() { return stb::stbi_failure_reason(); }

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
