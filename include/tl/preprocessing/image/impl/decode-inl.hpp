#pragma once
#include <tl/preprocessing/image/decode.hpp>

#include <tl/preprocessing/image/detail/decoders.hpp>
#include <tl/preprocessing/image/detail/integrity.hpp>

#include <atomic>
#include <climits>
#include <fstream>
#include <iterator>

namespace tl::preprocessing::image {

namespace detail {
/// Twice PIL's Image.MAX_IMAGE_PIXELS, the size at which PIL refuses to open an image.
TL_INLINE std::atomic<int64_t>& max_image_pixels_limit() {
  static std::atomic<int64_t> limit{2 * int64_t{89478485}};
  return limit;
}
}  // namespace detail

TL_INLINE void set_max_image_pixels(int64_t pixels) { detail::max_image_pixels_limit() = pixels; }
TL_INLINE int64_t max_image_pixels() { return detail::max_image_pixels_limit(); }

namespace detail {

TL_INLINE std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("cannot open image file '" + path.string() + "'");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TL_INLINE std::string undecodable_reason(const std::vector<uint8_t>& bytes) {
  const ImageFormat format = sniff_format(bytes.data(), bytes.size());
  if (format == ImageFormat::tiff) return "TIFF images are not supported by stb_image";
  if (format == ImageFormat::webp) return "WebP images are not supported by stb_image";
  const char* why = decoder_for(format).failure();
  return std::string("not a decodable image (") + (why ? why : "unknown format") + ")";
}

TL_INLINE void check_pixel_limit(int64_t width, int64_t height, const std::string& name) {
  const int64_t limit = max_image_pixels_limit();
  if (width * height > limit)
    throw IOError(name + ": image size (" + std::to_string(width * height) + " pixels) exceeds limit of " +
                  std::to_string(limit) + " pixels, could be decompression bomb DOS attack");
}

TL_INLINE Image decode_bytes(const std::vector<uint8_t>& bytes, const std::string& name) {
  if (bytes.empty()) throw IOError(name + " is empty (0 bytes)");
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) throw IOError(name + " is larger than 2 GiB");
  // stb refuses PNGs over 2^28 pixels as an unknown format; their header gives the size to name the real reason.
  if (const auto size = png_size(bytes)) check_pixel_limit(size->first, size->second, name);
  // Before any decoder reads it: stb_image 2.27 overflows its arrays on some damaged JPEGs (file_damage's checks).
  if (const auto damage = file_damage(bytes)) throw IOError(name + " is " + *damage);
  const Decoder decoder = decoder_for(sniff_format(bytes.data(), bytes.size()));
  const auto info = decoder.info(bytes);
  if (!info) throw IOError(name + ": " + undecodable_reason(bytes));
  check_pixel_limit(info->width, info->height, name);
  return decoder.decode(bytes, name);
}

TL_INLINE std::optional<std::string> unreadable_header(const std::string& path) {
  uint8_t head[16] = {};
  size_t got = 0;
  {
    std::ifstream in(path, std::ios::binary);
    if (in) got = static_cast<size_t>(in.read(reinterpret_cast<char*>(head), sizeof head).gcount());
  }
  if (decoder_for(sniff_format(head, got)).file_info(path)) return std::nullopt;
  const auto bytes = read_file(path);
  if (bytes.empty()) return "empty (0 bytes)";
  return undecodable_reason(bytes);
}

}  // namespace detail
}  // namespace tl::preprocessing::image
