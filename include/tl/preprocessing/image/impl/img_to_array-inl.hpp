#pragma once
#include <tl/preprocessing/image/img_to_array.hpp>

#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/detail/pil_convert.hpp>
#include <tl/preprocessing/image/detail/stb_codec.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>

namespace tl::preprocessing::image {

TL_INLINE torch::Tensor img_to_array(const Image& img, torch::ScalarType dtype) {
  auto bytes = torch::from_blob(const_cast<uint8_t*>(img.pixels.data()), {img.height, img.width, img.channels}, torch::kUInt8);
  return bytes.to(dtype);
}

TL_INLINE Image array_to_img(const torch::Tensor& x, bool scale) {
  tl::detail::check(x.dim() == 3, "array_to_img: expected image array to have rank 3 (single image), got shape " +
                                  std::to_string(x.dim()) + "-D");
  const int64_t c = x.size(2);
  tl::detail::check(c == 1 || c == 3 || c == 4, "array_to_img: unsupported channel number: " + std::to_string(c));
  auto v = x.to(torch::kFloat32).contiguous();
  if (scale) {
    v = v + std::max(-v.min().item<float>(), 0.0f);
    const float max = v.max().item<float>();
    if (max != 0) v = v / max;
    v = v * 255.0f;
  }
  // numpy's float -> uint8 astype truncates toward zero (and wraps out of range values; we clamp instead).
  auto bytes = v.clamp(0, 255).to(torch::kUInt8).contiguous();
  Image img = detail::blank_image(static_cast<int>(x.size(1)), static_cast<int>(x.size(0)), static_cast<int>(c));
  std::copy_n(bytes.data_ptr<uint8_t>(), img.pixels.size(), img.pixels.data());
  return img;
}

namespace detail {
TL_INLINE std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return ext;
}

TL_INLINE void write_image(const std::filesystem::path& path, Image img, std::string file_format) {
  if (file_format.empty()) file_format = lower_extension(path);
  const std::string p = path.string();
  bool ok = false;
  if (file_format == "png") {
    ok = stb_write_png(p, img);
  } else if (file_format == "jpg" || file_format == "jpeg") {
    if (img.channels == 4) {
      std::cerr << "Warning: The JPG format does not support RGBA images, converting to RGB.\n";
      img = convert(img, 3);
    }
    ok = stb_write_jpg(p, img, 75);  // PIL's quality
  } else if (file_format == "bmp") {
    ok = stb_write_bmp(p, img);
  } else if (file_format == "tga") {
    ok = stb_write_tga(p, img);
  } else {
    throw ValueError("save_img: unsupported file format '" + file_format + "' for '" + p + "' (png, jpg, jpeg, bmp, tga)");
  }
  if (!ok) throw IOError("save_img: cannot write image file '" + p + "'");
}
}  // namespace detail

TL_INLINE void save_img(const std::filesystem::path& path, const torch::Tensor& x, const std::string& file_format, bool scale) {
  detail::write_image(path, array_to_img(x, scale), file_format);
}

TL_INLINE void save_img(const std::filesystem::path& path, const Image& img, const std::string& file_format) {
  detail::write_image(path, img, file_format);
}

}  // namespace tl::preprocessing::image
