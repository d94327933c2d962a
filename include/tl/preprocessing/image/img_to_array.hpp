#pragma once
// Keras's img_to_array / array_to_img / save_img: between 8-bit images and float (H, W, C) tensors.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <torch/types.h>

#include <filesystem>
#include <string>

namespace tl::preprocessing::image {

/// (H, W, C) tensor of the image's values 0..255 (Keras's img_to_array, channels_last).
///   auto x = tl::img_to_array(tl::load_img("cat.png"));
torch::Tensor img_to_array(const Image& img, torch::ScalarType dtype = torch::kFloat32);

/// An 8-bit image of a (H, W, 1|3|4) array; with scale (Keras's default) values are shifted to >= 0 and
/// stretched to 0..255 first; values are then truncated to uint8 as numpy's astype does.
Image array_to_img(const torch::Tensor& x, bool scale = true);

namespace detail {
/// The extension of a path without its dot, lower-cased ("PNG" -> "png").
std::string lower_extension(const std::filesystem::path& path);

/// Writes an 8-bit image with stb_image_write; file_format "png", "jpg"/"jpeg", "bmp" or "tga" ("" : from the
/// extension). JPEG drops alpha with Keras's warning.
void write_image(const std::filesystem::path& path, Image img, std::string file_format);
}  // namespace detail

/// Saves an (H, W, C) array as an image file (Keras's save_img); the format comes from the extension.
///   tl::save_img("out.png", x);  // x scaled to 0..255 first, as Keras does by default
void save_img(const std::filesystem::path& path, const torch::Tensor& x, const std::string& file_format = "",
              bool scale = true);

/// Saves an 8-bit image as is.
void save_img(const std::filesystem::path& path, const Image& img, const std::string& file_format = "");

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/img_to_array-inl.hpp>
#endif
