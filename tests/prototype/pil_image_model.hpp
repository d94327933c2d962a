#pragma once
// Prototype (docs/dev/decoding_research.md): an image as PIL holds it after Image.open + load — its mode ("1",
// "L", "P", "I", "LA", "RGB", "RGBA", "CMYK"), its palette and info["transparency"] — and Keras's conversion of it
// to "L", "RGB" or "RGBA" exactly as Pillow 9.4's Image.convert does (src/PIL/Image.py:889-1110 and
// src/libImaging/Convert.c). Decoders produce a PilImage; one converter serves them all.
#include <tl/preprocessing/image/pil_image.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace proto {

using tl::preprocessing::image::Image;

/// Why PIL refuses a file: `kind` is the Python exception PIL raises (UnidentifiedImageError, OSError,
/// ValueError, DecompressionBombError...), `what()` a tl-style reason.
struct PilRefusal : std::runtime_error {
  std::string kind;
  PilRefusal(std::string k, const std::string& why) : std::runtime_error(why), kind(std::move(k)) {}
};

inline PilRefusal unidentified(const std::string& why) { return {"UnidentifiedImageError", "cannot identify image file (" + why + ")"}; }
inline PilRefusal truncated() { return {"OSError", "is truncated"}; }
inline PilRefusal broken(const std::string& why) { return {"OSError", "is corrupt (" + why + ")"}; }

/// PIL's Image.MAX_IMAGE_PIXELS * 2: DecompressionBombError above it, raised by Image.open before decoding.
inline int64_t max_pixels = 2 * int64_t{89478485};
inline void bomb_check(int64_t width, int64_t height) {
  if (width * height > max_pixels)
    throw PilRefusal("DecompressionBombError", "image size (" + std::to_string(width * height) +
                                                   " pixels) exceeds limit, could be decompression bomb DOS attack");
}

/// info["transparency"]: an index/grey value, an (r, g, b) tuple, or per-palette-entry alphas.
struct Transparency {
  enum Kind { kNone, kInt, kTuple, kBytes } kind = kNone;
  int value = 0;                 // kInt
  std::array<int, 3> rgb{};      // kTuple
  std::vector<uint8_t> alphas;   // kBytes
};

struct PilImage {
  std::string mode;  // "1", "L", "P", "I", "LA", "RGB", "RGBA", "CMYK"
  int width = 0, height = 0;
  std::vector<uint8_t> px;     // bands() bytes per pixel ("1" holds 0 or 255), rows top to bottom
  std::vector<int32_t> ipx;    // mode "I"
  std::array<uint8_t, 1024> palette{};  // "P": 256 RGBA entries
  Transparency transparency;

  int bands() const {
    if (mode == "LA") return 2;
    if (mode == "RGB") return 3;
    if (mode == "RGBA" || mode == "CMYK") return 4;
    return 1;
  }
  /// A blank image of the mode as Image.core.new makes it: zeros, and for "P" the grey ramp palette
  /// (ImagingPaletteNew, libImaging/Palette.c:24-48: entry i is (i, i, i, 255)).
  static PilImage blank(std::string mode, int width, int height) {
    PilImage im;
    im.mode = std::move(mode);
    im.width = width;
    im.height = height;
    if (im.mode == "I") im.ipx.assign(size_t(width) * height, 0);
    else im.px.assign(size_t(width) * height * im.bands(), 0);
    for (int i = 0; i < 256; ++i) {
      im.palette[i * 4] = im.palette[i * 4 + 1] = im.palette[i * 4 + 2] = uint8_t(i);
      im.palette[i * 4 + 3] = 255;
    }
    return im;
  }
  /// putpalette(rawmode, data): the first len*8/bits entries from the file, the ramp beyond (_imaging.c:1637).
  void put_palette(const uint8_t* data, size_t size, int entry_bytes, bool bgr) {
    const size_t entries = size / entry_bytes;
    if (entries > 256) throw PilRefusal("ValueError", "invalid palette size");
    for (size_t i = 0; i < entries; ++i) {
      const uint8_t* e = data + i * entry_bytes;
      palette[i * 4] = bgr ? e[2] : e[0];
      palette[i * 4 + 1] = e[1];
      palette[i * 4 + 2] = bgr ? e[0] : e[2];
      palette[i * 4 + 3] = 255;
    }
  }
};

namespace detail {
inline uint8_t luma(int r, int g, int b) { return uint8_t((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16); }  // L24
inline uint8_t clip8(int v) { return uint8_t(v <= 0 ? 0 : v >= 255 ? 255 : v); }
inline uint8_t muldiv255(int a, int b) {
  const int tmp = a * b + 128;
  return uint8_t(((tmp >> 8) + tmp) >> 8);
}
}  // namespace detail

/// One pixel of `im` as RGBA, by the converter Convert.c uses for mode -> RGB/RGBA (bit2rgb, l2rgb, i2rgb,
/// p2rgba, la2rgb, rgb2rgba, cmyk2rgb); `palette` may carry the alphas putpalettealpha(s) set.
inline std::array<uint8_t, 4> rgba_pixel(const PilImage& im, size_t i, const std::array<uint8_t, 1024>& palette) {
  const std::string& m = im.mode;
  if (m == "1" || m == "L") {
    const uint8_t v = m == "1" ? (im.px[i] ? 255 : 0) : im.px[i];
    return {v, v, v, 255};
  }
  if (m == "I") {
    const uint8_t v = detail::clip8(im.ipx[i] > 255 ? 255 : im.ipx[i]);
    return {v, v, v, 255};
  }
  if (m == "P") {
    const uint8_t* e = &palette[im.px[i] * 4];
    return {e[0], e[1], e[2], e[3]};
  }
  if (m == "LA") return {im.px[i * 2], im.px[i * 2], im.px[i * 2], im.px[i * 2 + 1]};
  if (m == "RGB") return {im.px[i * 3], im.px[i * 3 + 1], im.px[i * 3 + 2], 255};
  if (m == "RGBA") return {im.px[i * 4], im.px[i * 4 + 1], im.px[i * 4 + 2], im.px[i * 4 + 3]};
  if (m == "CMYK") {  // cmyk2rgb, Convert.c:568
    const uint8_t* p = &im.px[i * 4];
    const int nk = 255 - p[3];
    return {detail::clip8(nk - detail::muldiv255(p[0], nk)), detail::clip8(nk - detail::muldiv255(p[1], nk)),
            detail::clip8(nk - detail::muldiv255(p[2], nk)), 255};
  }
  throw std::logic_error("mode " + m);
}

/// Keras's `img.convert(mode)` for mode "L" (channels 1), "RGB" (3) or "RGBA" (4), skipped when the image
/// already has that mode. Image.convert's transparency rules (Image.py:939-1018): "1"/"L"/"I"/"RGB" to RGBA
/// clear the alpha of pixels equal to the transparent colour (compared after the 8-bit conversion, against the
/// colour's low bytes: ImagingConvertTransparent, Convert.c:1637); "P" to RGBA takes the alphas into the palette;
/// to "L"/"RGB" the pixels ignore transparency.
inline Image pil_convert(const PilImage& im, int channels) {
  const size_t n = size_t(im.width) * im.height;
  Image out{im.width, im.height, channels, std::vector<uint8_t>(n * channels)};
  const std::string target = channels == 1 ? "L" : channels == 3 ? "RGB" : "RGBA";
  if (im.mode == target) {
    out.pixels = im.px;
    return out;
  }
  std::array<uint8_t, 1024> palette = im.palette;
  const Transparency& t = im.transparency;
  const bool promote = t.kind != Transparency::kNone && target == "RGBA" &&
                       (im.mode == "1" || im.mode == "L" || im.mode == "I" || im.mode == "RGB");
  if (t.kind != Transparency::kNone && target == "RGBA" && im.mode == "P") {
    if (t.kind == Transparency::kBytes) {
      if (t.alphas.size() > 256) throw PilRefusal("ValueError", "palette index out of range");
      for (size_t k = 0; k < t.alphas.size(); ++k) palette[k * 4 + 3] = t.alphas[k];
    } else if (t.kind == Transparency::kInt) {
      if (t.value < 0 || t.value >= 256) throw PilRefusal("ValueError", "palette index out of range");
      palette[t.value * 4 + 3] = 0;
    }
  }
  int tr = 0, tg = 0, tb = 0;
  if (promote) {
    if (t.kind == Transparency::kTuple) tr = t.rgb[0], tg = t.rgb[1], tb = t.rgb[2];
    else tr = tg = tb = t.value;
    tr &= 0xFF, tg &= 0xFF, tb &= 0xFF;
  }
  // The mode is resolved once; the per-pixel work is Convert.c's (see rgba_pixel for the converters).
  enum M { k1, kL, kI, kP, kLA, kRGB, kRGBA, kCMYK } m;
  const std::string& mo = im.mode;
  m = mo == "1" ? k1 : mo == "L" ? kL : mo == "I" ? kI : mo == "P" ? kP : mo == "LA" ? kLA : mo == "RGB" ? kRGB : mo == "RGBA" ? kRGBA : kCMYK;
  if (m == kCMYK && mo != "CMYK") throw std::logic_error("mode " + mo);
  uint8_t* o = out.pixels.data();
  const uint8_t* p = im.px.data();
  if (channels == 1) {  // to L: bit2l, i2l, p2l, la2l, rgb2l; CMYK -> RGB (cmyk2rgb) -> L
    for (size_t i = 0; i < n; ++i) {
      switch (m) {
        case k1: o[i] = p[i] ? 255 : 0; break;
        case kL: o[i] = p[i]; break;
        case kI: o[i] = detail::clip8(im.ipx[i] > 255 ? 255 : im.ipx[i]); break;
        case kP: o[i] = detail::luma(palette[p[i] * 4], palette[p[i] * 4 + 1], palette[p[i] * 4 + 2]); break;
        case kLA: o[i] = p[i * 2]; break;
        case kRGB: o[i] = detail::luma(p[i * 3], p[i * 3 + 1], p[i * 3 + 2]); break;
        case kRGBA: o[i] = detail::luma(p[i * 4], p[i * 4 + 1], p[i * 4 + 2]); break;
        case kCMYK: {
          const auto q = rgba_pixel(im, i, palette);
          o[i] = detail::luma(q[0], q[1], q[2]);
          break;
        }
      }
    }
    return out;
  }
  for (size_t i = 0; i < n; ++i, o += channels) {
    std::array<uint8_t, 4> q;
    switch (m) {
      case kL: q = {p[i], p[i], p[i], 255}; break;
      case kP: std::memcpy(q.data(), &palette[p[i] * 4], 4); break;
      case kRGB: q = {p[i * 3], p[i * 3 + 1], p[i * 3 + 2], 255}; break;
      case kRGBA: std::memcpy(q.data(), p + i * 4, 4); break;
      default: q = rgba_pixel(im, i, palette); break;
    }
    if (promote && q[0] == tr && q[1] == tg && q[2] == tb) q[3] = 0;
    std::memcpy(o, q.data(), size_t(channels));
  }
  return out;
}

}  // namespace proto
