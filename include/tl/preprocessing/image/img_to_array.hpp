#pragma once
// Keras's img_to_array / array_to_img / save_img: between 8-bit images and float (H, W, C) tensors.
#include <tl/preprocessing/image/detail/pil_convert.hpp>
#include <tl/preprocessing/image/detail/stb.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>

namespace tl::preprocessing::image {

/// (H, W, C) tensor of the image's values 0..255 (Keras's img_to_array, channels_last).
///   auto x = tl::img_to_array(tl::load_img("cat.png"));
inline torch::Tensor img_to_array(const Image& img, torch::ScalarType dtype = torch::kFloat32) {
  auto bytes = torch::from_blob(const_cast<uint8_t*>(img.pixels.data()), {img.height, img.width, img.channels}, torch::kUInt8);
  return bytes.to(dtype);
}

/// An 8-bit image of a (H, W, 1|3|4) array; with scale (Keras's default) values are shifted to >= 0 and
/// stretched to 0..255 first; values are then truncated to uint8 as numpy's astype does.
inline Image array_to_img(const torch::Tensor& x, bool scale = true) {
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
inline std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return ext;
}

/// Writes an 8-bit image with stb_image_write; file_format "png", "jpg"/"jpeg", "bmp" or "tga".
inline void write_image(const std::filesystem::path& path, Image img, std::string file_format) {
  if (file_format.empty()) file_format = lower_extension(path);
  const std::string p = path.string();
  int ok = 0;
  if (file_format == "png") {
    ok = stb::stbi_write_png(p.c_str(), img.width, img.height, img.channels, img.pixels.data(), img.width * img.channels);
  } else if (file_format == "jpg" || file_format == "jpeg") {
    if (img.channels == 4) {
      std::cerr << "Warning: The JPG format does not support RGBA images, converting to RGB.\n";
      img = convert(img, 3);
    }
    ok = stb::stbi_write_jpg(p.c_str(), img.width, img.height, img.channels, img.pixels.data(), 75);  // PIL's quality
  } else if (file_format == "bmp") {
    ok = stb::stbi_write_bmp(p.c_str(), img.width, img.height, img.channels, img.pixels.data());
  } else if (file_format == "tga") {
    ok = stb::stbi_write_tga(p.c_str(), img.width, img.height, img.channels, img.pixels.data());
  } else {
    throw ValueError("save_img: unsupported file format '" + file_format + "' for '" + p + "' (png, jpg, jpeg, bmp, tga)");
  }
  if (!ok) throw IOError("save_img: cannot write image file '" + p + "'");
}
}  // namespace detail

/// Saves an (H, W, C) array as an image file (Keras's save_img); the format comes from the extension.
///   tl::save_img("out.png", x);  // x scaled to 0..255 first, as Keras does by default
inline void save_img(const std::filesystem::path& path, const torch::Tensor& x, const std::string& file_format = "",
                     bool scale = true) {
  detail::write_image(path, array_to_img(x, scale), file_format);
}

/// Saves an 8-bit image as is.
inline void save_img(const std::filesystem::path& path, const Image& img, const std::string& file_format = "") {
  detail::write_image(path, img, file_format);
}

}  // namespace tl::preprocessing::image
