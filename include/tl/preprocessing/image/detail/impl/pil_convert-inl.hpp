#pragma once
#include <tl/preprocessing/image/detail/pil_convert.hpp>

namespace tl::preprocessing::image::detail {

TL_INLINE uint8_t pil_luma(const uint8_t* rgb) {
  return static_cast<uint8_t>((rgb[0] * 19595 + rgb[1] * 38470 + rgb[2] * 7471 + 0x8000) >> 16);
}

TL_INLINE void convert_pixel(const uint8_t* in, int from, uint8_t* out, int to) {
  const bool gray = from <= 2;
  const uint8_t alpha = (from == 2 || from == 4) ? in[from - 1] : 255;
  if (to == 1 || to == 2) {
    out[0] = gray ? in[0] : pil_luma(in);
    if (to == 2) out[1] = alpha;
    return;
  }
  for (int c = 0; c < 3; ++c) out[c] = gray ? in[0] : in[c];
  if (to == 4) out[3] = alpha;
}

TL_INLINE Image convert(const Image& img, int channels) {
  if (img.channels == channels) return img;
  Image out = blank_image(img.width, img.height, channels);
  const size_t n = static_cast<size_t>(img.width) * img.height;
  for (size_t i = 0; i < n; ++i) convert_pixel(&img.pixels[i * img.channels], img.channels, &out.pixels[i * channels], channels);
  return out;
}

TL_INLINE void premultiply_alpha(Image& img) {
  const int c = img.channels, a = c - 1;
  for (size_t i = 0; i < img.pixels.size(); i += c)
    for (int k = 0; k < a; ++k) {
      const int tmp = img.pixels[i + k] * img.pixels[i + a] + 128;
      img.pixels[i + k] = static_cast<uint8_t>(((tmp >> 8) + tmp) >> 8);
    }
}

TL_INLINE void unpremultiply_alpha(Image& img) {
  const int c = img.channels, a = c - 1;
  for (size_t i = 0; i < img.pixels.size(); i += c) {
    const int alpha = img.pixels[i + a];
    if (alpha == 0 || alpha == 255) continue;
    for (int k = 0; k < a; ++k) {
      const int v = (255 * img.pixels[i + k]) / alpha;
      img.pixels[i + k] = static_cast<uint8_t>(v > 255 ? 255 : v);
    }
  }
}

}  // namespace tl::preprocessing::image::detail
