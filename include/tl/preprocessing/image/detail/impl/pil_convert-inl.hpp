#pragma once
#include <tl/preprocessing/image/detail/pil_convert.hpp>

#include <cstring>
#include <utility>
#include <vector>

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

namespace tl::preprocessing::image::detail {

namespace pil_converters {
inline uint8_t clip8(int v) { return static_cast<uint8_t>(v <= 0 ? 0 : v >= 255 ? 255 : v); }
inline uint8_t luma(int r, int g, int b) { return static_cast<uint8_t>((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16); }
inline uint8_t muldiv255(int a, int b) {
  const int tmp = a * b + 128;
  return static_cast<uint8_t>(((tmp >> 8) + tmp) >> 8);
}
/// cmyk2rgb (Convert.c:568): nk = 255 - K; R = nk - C * nk / 255 with PIL's rounding.
inline void cmyk_to_rgb(const uint8_t* p, uint8_t* o) {
  const int nk = 255 - p[3];
  o[0] = clip8(nk - muldiv255(p[0], nk));
  o[1] = clip8(nk - muldiv255(p[1], nk));
  o[2] = clip8(nk - muldiv255(p[2], nk));
}
}  // namespace pil_converters

TL_INLINE Image pil_convert(DecodedImage&& im, int channels) {
  using namespace pil_converters;
  const size_t n = static_cast<size_t>(im.width) * static_cast<size_t>(im.height);
  const PilMode target = channels == 1 ? PilMode::L : channels == 3 ? PilMode::RGB : PilMode::RGBA;
  if (im.mode == target) return Image{im.width, im.height, channels, std::move(im.pixels)};
  Image out{im.width, im.height, channels, std::vector<uint8_t>(n * static_cast<size_t>(channels))};
  uint8_t* o = out.pixels.data();
  const uint8_t* p = im.pixels.data();
  const int32_t* ints = im.ints.data();
  const Transparency& t = im.transparency;
  if (channels == 1) {  // bit2l, i2l, p2l, la2l, rgb2l, rgba2l; CMYK -> RGB -> L
    switch (im.mode) {
      case PilMode::bilevel:
      case PilMode::L: std::memcpy(o, p, n); break;
      case PilMode::I:
        for (size_t i = 0; i < n; ++i) o[i] = clip8(ints[i] > 255 ? 255 : ints[i]);
        break;
      case PilMode::P: {
        uint8_t lut[256];
        for (int k = 0; k < 256; ++k) lut[k] = luma(im.palette[k * 4], im.palette[k * 4 + 1], im.palette[k * 4 + 2]);
        for (size_t i = 0; i < n; ++i) o[i] = lut[p[i]];
        break;
      }
      case PilMode::LA:
        for (size_t i = 0; i < n; ++i) o[i] = p[i * 2];
        break;
      case PilMode::RGB:
        for (size_t i = 0; i < n; ++i) o[i] = luma(p[i * 3], p[i * 3 + 1], p[i * 3 + 2]);
        break;
      case PilMode::RGBA:
        for (size_t i = 0; i < n; ++i) o[i] = luma(p[i * 4], p[i * 4 + 1], p[i * 4 + 2]);
        break;
      case PilMode::CMYK:
        for (size_t i = 0; i < n; ++i) {
          uint8_t rgb[3];
          cmyk_to_rgb(p + i * 4, rgb);
          o[i] = luma(rgb[0], rgb[1], rgb[2]);
        }
        break;
    }
    return out;
  }
  // To RGB or RGBA: each pixel as RGBA first (alpha 255 unless the mode or the palette carries one).
  const bool rgba = channels == 4;
  const auto put = [&](size_t i, uint8_t r, uint8_t g, uint8_t b, uint8_t a) {
    uint8_t* q = o + i * static_cast<size_t>(channels);
    q[0] = r, q[1] = g, q[2] = b;
    if (rgba) q[3] = a;
  };
  switch (im.mode) {
    case PilMode::bilevel:
    case PilMode::L:
      for (size_t i = 0; i < n; ++i) put(i, p[i], p[i], p[i], 255);
      break;
    case PilMode::I:
      for (size_t i = 0; i < n; ++i) {
        const uint8_t v = clip8(ints[i] > 255 ? 255 : ints[i]);
        put(i, v, v, v, 255);
      }
      break;
    case PilMode::P: {
      std::vector<uint8_t> palette = im.palette;
      if (rgba && t.kind == Transparency::alphas) {  // putpalettealphas
        if (t.entries.size() > 256) refuse(DecodeFailure::unsupported, "palette index out of range");
        for (size_t k = 0; k < t.entries.size(); ++k) palette[k * 4 + 3] = t.entries[k];
      } else if (rgba && t.kind == Transparency::value) {  // putpalettealpha(index, 0)
        if (t.index < 0 || t.index >= 256) refuse(DecodeFailure::unsupported, "palette index out of range");
        palette[static_cast<size_t>(t.index) * 4 + 3] = 0;
      }
      for (size_t i = 0; i < n; ++i) {
        const uint8_t* e = &palette[p[i] * 4];
        put(i, e[0], e[1], e[2], e[3]);
      }
      return out;  // the palette carries the transparency
    }
    case PilMode::LA:
      for (size_t i = 0; i < n; ++i) put(i, p[i * 2], p[i * 2], p[i * 2], p[i * 2 + 1]);
      break;
    case PilMode::RGB:
      for (size_t i = 0; i < n; ++i) put(i, p[i * 3], p[i * 3 + 1], p[i * 3 + 2], 255);
      break;
    case PilMode::RGBA:
      for (size_t i = 0; i < n; ++i) put(i, p[i * 4], p[i * 4 + 1], p[i * 4 + 2], p[i * 4 + 3]);
      break;
    case PilMode::CMYK:
      for (size_t i = 0; i < n; ++i) {
        uint8_t rgb[3];
        cmyk_to_rgb(p + i * 4, rgb);
        put(i, rgb[0], rgb[1], rgb[2], 255);
      }
      break;
  }
  // convert_transparent (1, L, I, RGB -> RGBA): alpha 0 where the converted pixel equals the colour's low bytes.
  const bool promote = rgba && t.kind != Transparency::none &&
                       (im.mode == PilMode::bilevel || im.mode == PilMode::L || im.mode == PilMode::I || im.mode == PilMode::RGB);
  if (promote) {
    const int tr = (t.kind == Transparency::rgb ? t.color[0] : t.index) & 0xFF;
    const int tg = (t.kind == Transparency::rgb ? t.color[1] : t.index) & 0xFF;
    const int tb = (t.kind == Transparency::rgb ? t.color[2] : t.index) & 0xFF;
    for (size_t i = 0; i < n; ++i, o += 4)
      if (o[0] == tr && o[1] == tg && o[2] == tb) o[3] = 0;
  }
  return out;
}

}  // namespace tl::preprocessing::image::detail
