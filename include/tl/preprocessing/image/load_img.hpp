#pragma once
// Keras's load_img: decode, convert to the color mode as PIL does, resize with PIL's filters.
#include <tl/preprocessing/image/decode.hpp>
#include <tl/preprocessing/image/detail/pil_convert.hpp>
#include <tl/preprocessing/image/detail/pil_resize.hpp>

#include <utility>

namespace tl::preprocessing::image {

/// Keras's load_img keyword arguments.
struct LoadImgOptions {
  std::string color_mode = "rgb";                 ///< "grayscale", "rgb" or "rgba"
  std::pair<int, int> target_size{0, 0};          ///< (height, width); (0, 0) keeps the file's size (None)
  std::string interpolation = "nearest";          ///< nearest, bilinear, bicubic, lanczos, box, hamming
  bool keep_aspect_ratio = false;                  ///< crop the centre to the target aspect ratio first
};

namespace detail {
/// Keras's keep_aspect_ratio crop: the centred box with the target's aspect ratio.
inline Box aspect_crop_box(int width, int height, int target_width, int target_height) {
  const int crop_height = std::min(height, static_cast<int>(int64_t{width} * target_height / target_width));
  const int crop_width = std::min(width, static_cast<int>(int64_t{height} * target_width / target_height));
  const int top = (height - crop_height) / 2, left = (width - crop_width) / 2;
  return {double(left), double(top), double(left + crop_width), double(top + crop_height)};
}

/// Resizes as Keras's load_img does: only when the size differs (keep_aspect_ratio crops the source box).
inline Image resize_for_keras(Image img, const LoadImgOptions& options) {
  const auto [height, width] = options.target_size;
  if (height == 0 && width == 0) return img;
  tl::detail::check(height > 0 && width > 0, "load_img: target_size must be positive, got (" + std::to_string(height) + ", " +
                                     std::to_string(width) + ")");
  if (img.width == width && img.height == height) return img;
  Box box{0, 0, double(img.width), double(img.height)};
  if (options.keep_aspect_ratio) box = aspect_crop_box(img.width, img.height, width, height);
  return pil_resize(img, width, height, options.interpolation, box);
}

/// Throws ValueError for an unknown color_mode or interpolation; returns the channels of the color mode.
inline int checked_channels(const LoadImgOptions& options) {
  pil_filter(options.interpolation);
  return channels_for(options.color_mode);
}

/// load_img on a file's bytes; `name` ("image file 'cat.jpg'") starts every error message.
inline Image load_img_bytes(const std::vector<uint8_t>& bytes, const std::string& name, const LoadImgOptions& options) {
  return resize_for_keras(convert(decode_bytes(bytes, name), checked_channels(options)), options);
}
}  // namespace detail

/// Loads an image file as Keras's load_img does (PNG, JPEG, BMP, PPM/PGM, GIF, TGA, PSD via stb_image).
///   auto img = tl::load_img("cat.jpg", {.target_size = {224, 224}});
///   auto x = tl::img_to_array(img);  // (224, 224, 3) float32
/// Throws IOError naming the file for missing, empty, corrupt, truncated or unsupported (e.g. TIFF) files.
inline Image load_img(const std::filesystem::path& path, const LoadImgOptions& options = {}) {
  detail::checked_channels(options);  // a bad argument is reported before the file is read
  return detail::load_img_bytes(detail::read_file(path), "image file '" + path.string() + "'", options);
}

}  // namespace tl::preprocessing::image
