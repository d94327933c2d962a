#pragma once
// Decoding image files with stb_image, with a decompression-bomb guard and errors that name file and reason.
#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/detail/integrity.hpp>
#include <tl/preprocessing/image/detail/stb.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace tl::preprocessing::image {

namespace detail {
/// Twice PIL's Image.MAX_IMAGE_PIXELS, the size at which PIL refuses to open an image.
inline std::atomic<int64_t> max_image_pixels_limit{2 * int64_t{89478485}};
}  // namespace detail

/// The largest width*height load_img decodes (PIL raises DecompressionBombError above 2 * 89478485).
///   tl::preprocessing::image::set_max_image_pixels(500'000'000);
inline void set_max_image_pixels(int64_t pixels) { detail::max_image_pixels_limit = pixels; }
inline int64_t max_image_pixels() { return detail::max_image_pixels_limit; }

namespace detail {

inline std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("cannot open image file '" + path.string() + "'");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A readable reason for bytes stb cannot decode: names formats it does not support.
inline std::string undecodable_reason(const std::vector<uint8_t>& bytes) {
  auto starts = [&](const char* magic, size_t n) { return bytes.size() >= n && std::memcmp(bytes.data(), magic, n) == 0; };
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return "TIFF images are not supported by stb_image";
  if (starts("RIFF", 4)) return "WebP images are not supported by stb_image";
  const char* why = stb::stbi_failure_reason();
  return std::string("not a decodable image (") + (why ? why : "unknown format") + ")";
}

/// PIL's DecompressionBombError, raised before anything is decoded.
inline void check_pixel_limit(int64_t width, int64_t height, const std::string& name) {
  const int64_t limit = max_image_pixels_limit;
  if (width * height > limit)
    throw IOError(name + ": image size (" + std::to_string(width * height) + " pixels) exceeds limit of " +
                  std::to_string(limit) + " pixels, could be decompression bomb DOS attack");
}

/// Decodes the bytes of an image file into its own channels (1, 2, 3 or 4); `name` (the file) starts every error.
inline Image decode_bytes(const std::vector<uint8_t>& bytes, const std::string& name) {
  if (bytes.empty()) throw IOError(name + " is empty (0 bytes)");
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) throw IOError(name + " is larger than 2 GiB");
  // stb refuses PNGs over 2^28 pixels as an unknown format; their header gives the size to name the real reason.
  if (const auto size = png_size(bytes)) check_pixel_limit(size->first, size->second, name);
  // Before stb reads any of it: stb_image 2.27 overflows its arrays on some damaged JPEGs (file_damage's checks).
  if (const auto damage = file_damage(bytes)) throw IOError(name + " is " + *damage);
  const int len = static_cast<int>(bytes.size());
  int w = 0, h = 0, c = 0;
  if (!stb::stbi_info_from_memory(bytes.data(), len, &w, &h, &c)) throw IOError(name + ": " + undecodable_reason(bytes));
  check_pixel_limit(w, h, name);
  uint8_t* data = stb::stbi_load_from_memory(bytes.data(), len, &w, &h, &c, 0);
  if (!data) {
    const char* why = stb::stbi_failure_reason();
    throw IOError(name + " is corrupt or truncated (" + (why ? why : "stb_image cannot decode it") + ")");
  }
  Image img{w, h, c, std::vector<uint8_t>(data, data + static_cast<size_t>(w) * h * c)};
  stb::stbi_image_free(data);
  return img;
}

}  // namespace detail
}  // namespace tl::preprocessing::image
