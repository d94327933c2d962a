#pragma once
// Decoding unit, stb: stb_image for TGA and PSD (the formats PIL reads that tl has no decoder of its own for; not
// checked pixel for pixel against PIL) and save_img's stb_image_write encoders: the only code that sees tl's private
// copy of stb (stb.hpp, included by impl/stb_codec-inl.hpp alone). In compiled mode stb is compiled once, into
// src/preprocessing.cpp; in header-only mode into every translation unit that includes tl's image headers.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace tl::preprocessing::image::detail {

/// stbi_info_from_memory: size and mode from the header, or DecodeFailure unidentified with stb's reason.
ImageInfo stb_open(const uint8_t* data, size_t size);

/// stbi_load_from_memory in the file's own channels (L, LA, RGB or RGBA); DecodeFailure corrupt with stb's reason.
DecodedImage stb_decode(const uint8_t* data, size_t size);

/// stb_image_write's writers; false when the file cannot be written. JPEG at `quality` (1-100).
bool stb_write_png(const std::string& path, const Image& img);
bool stb_write_jpg(const std::string& path, const Image& img, int quality);
bool stb_write_bmp(const std::string& path, const Image& img);
bool stb_write_tga(const std::string& path, const Image& img);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/stb_codec-inl.hpp>
#endif
