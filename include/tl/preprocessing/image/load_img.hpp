#pragma once
// Keras's load_img: decode (decode.hpp), convert to the color mode as PIL does (detail/pil_convert.hpp), resize
// with PIL's filters (detail/pil_resize.hpp) when and as Keras asks.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/decode.hpp>
#include <tl/preprocessing/image/detail/pil_resize.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace tl::preprocessing::image {

/// Keras's load_img keyword arguments.
struct LoadImgOptions {
  std::string color_mode = "rgb";                 ///< "grayscale", "rgb" or "rgba"
  std::pair<int, int> target_size{0, 0};          ///< (height, width); (0, 0) keeps the file's size (None)
  std::string interpolation = "nearest";          ///< nearest, bilinear, bicubic, lanczos, box, hamming
  bool keep_aspect_ratio = false;                  ///< crop the centre to the target aspect ratio first
  /// tl's opt-in fast JPEG decode (not Keras's pixels, so never the default): with a target_size, a JPEG at least
  /// twice the target in both directions is decoded at 1/2, 1/4 or 1/8 of its size in libjpeg's DCT domain (PIL's
  /// Image.draft rule: never below the target), then resized as usual. docs/data.md has its speed and differences.
  bool fast_jpeg = false;
};

namespace detail {
/// Keras's keep_aspect_ratio crop: the centred box with the target's aspect ratio.
Box aspect_crop_box(int width, int height, int target_width, int target_height);

/// Resizes as Keras's load_img does: only when the size differs (keep_aspect_ratio crops the source box).
Image resize_for_keras(Image img, const LoadImgOptions& options);

/// Throws ValueError for an unknown color_mode or interpolation; returns the channels of the color mode.
int checked_channels(const LoadImgOptions& options);

/// What decode_image may do differently from Keras for these options (the fast JPEG decode's target size).
DecodeOptions decode_options(const LoadImgOptions& options);

/// load_img on a file's bytes; `name` ("image file 'cat.jpg'") starts every error message.
Image load_img_bytes(const std::vector<uint8_t>& bytes, const std::string& name, const LoadImgOptions& options);
}  // namespace detail

/// Loads an image file as Keras's load_img does, pixel for pixel as Keras with Pillow 9.4 and Debian's
/// libjpeg-turbo: JPEG, PNG, BMP/DIB, GIF (first frame), PBM/PGM/PPM; TGA and PSD through stb_image.
///   auto img = tl::load_img("cat.jpg", {.target_size = {224, 224}});
///   auto x = tl::img_to_array(img);  // (224, 224, 3) float32
/// Throws IOError naming the file for missing, empty, corrupt, truncated or unsupported (TIFF, WebP) files: the
/// files PIL refuses, for the same reasons.
Image load_img(const std::filesystem::path& path, const LoadImgOptions& options = {});

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/load_img-inl.hpp>
#endif
