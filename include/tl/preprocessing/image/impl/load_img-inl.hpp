#pragma once
#include <tl/preprocessing/image/load_img.hpp>

#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/detail/pil_convert.hpp>

#include <algorithm>

namespace tl::preprocessing::image {

namespace detail {
TL_INLINE Box aspect_crop_box(int width, int height, int target_width, int target_height) {
  const int crop_height = std::min(height, static_cast<int>(int64_t{width} * target_height / target_width));
  const int crop_width = std::min(width, static_cast<int>(int64_t{height} * target_width / target_height));
  const int top = (height - crop_height) / 2, left = (width - crop_width) / 2;
  return {double(left), double(top), double(left + crop_width), double(top + crop_height)};
}

TL_INLINE Image resize_for_keras(Image img, const LoadImgOptions& options) {
  const auto [height, width] = options.target_size;
  if (height == 0 && width == 0) return img;
  tl::detail::check(height > 0 && width > 0, "load_img: target_size must be positive, got (" + std::to_string(height) + ", " +
                                     std::to_string(width) + ")");
  if (img.width == width && img.height == height) return img;
  Box box{0, 0, double(img.width), double(img.height)};
  if (options.keep_aspect_ratio) box = aspect_crop_box(img.width, img.height, width, height);
  return pil_resize(img, width, height, options.interpolation, box);
}

TL_INLINE int checked_channels(const LoadImgOptions& options) {
  pil_filter(options.interpolation);
  return channels_for(options.color_mode);
}

TL_INLINE DecodeOptions decode_options(const LoadImgOptions& options) {
  DecodeOptions o;
  if (options.fast_jpeg && options.target_size.first > 0 && options.target_size.second > 0) {
    o.draft_width = options.target_size.second;
    o.draft_height = options.target_size.first;
  }
  return o;
}

TL_INLINE Image load_img_bytes(const std::vector<uint8_t>& bytes, const std::string& name, const LoadImgOptions& options) {
  const int channels = checked_channels(options);
  return resize_for_keras(pil_convert(decode_image(bytes.data(), bytes.size(), name, decode_options(options)), channels), options);
}
}  // namespace detail

TL_INLINE Image load_img(const std::filesystem::path& path, const LoadImgOptions& options) {
  detail::checked_channels(options);  // a bad argument is reported before the file is read
  return detail::load_img_bytes(detail::read_file(path), "image file '" + path.string() + "'", options);
}

}  // namespace tl::preprocessing::image
