#pragma once
#include <tl/preprocessing/image/detail/pil_codec.hpp>

#include <cstring>

namespace tl::preprocessing::image::detail {

TL_INLINE const uint8_t* ByteCursor::safe_read(int64_t n) {
  const uint8_t* p = data + (pos < size ? pos : size);
  if (n <= 0) return p;
  if (static_cast<uint64_t>(n) > left()) refuse(DecodeFailure::truncated, "Truncated File Read");
  pos += static_cast<size_t>(n);
  return p;
}

TL_INLINE uint32_t le16(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8; }
TL_INLINE uint32_t le32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }
TL_INLINE uint32_t be16(const uint8_t* p) { return uint32_t(p[0]) << 8 | uint32_t(p[1]); }
TL_INLINE uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]); }

TL_INLINE int raw_bits(RawMode raw) {
  switch (raw) {
    case RawMode::bit1:
    case RawMode::bit1_inv:
    case RawMode::p1: return 1;
    case RawMode::l2:
    case RawMode::p2: return 2;
    case RawMode::l4:
    case RawMode::p4: return 4;
    case RawMode::bit1_byte:
    case RawMode::l8:
    case RawMode::p8: return 8;
    case RawMode::i16b:
    case RawMode::la:
    case RawMode::bgr15:
    case RawMode::bgr16: return 16;
    case RawMode::rgb:
    case RawMode::bgr: return 24;
    case RawMode::bgrx:
    case RawMode::xbgr:
    case RawMode::rgba:
    case RawMode::la16b:
    case RawMode::bgra:
    case RawMode::abgr: return 32;
    case RawMode::rgb16b: return 48;
    case RawMode::rgba16b: return 64;
  }
  return 8;
}

namespace pil_unpack {
/// Sub-byte samples, most significant bits first, mapped through `value`.
template <int Bits, class Value>
inline void samples(const uint8_t* in, uint8_t* out, int count, Value value) {
  for (int i = 0; i < count; ++i) {
    const int bit = i * Bits;
    out[i] = static_cast<uint8_t>(value((in[bit / 8] >> (8 - Bits - bit % 8)) & ((1 << Bits) - 1)));
  }
}
/// Whole-byte pixels of InBytes bytes to OutBytes bytes each.
template <int InBytes, int OutBytes, class Pixel>
inline void pixels(const uint8_t* in, uint8_t* out, int count, Pixel pixel) {
  for (int i = 0; i < count; ++i, in += InBytes, out += OutBytes) pixel(in, out);
}
}  // namespace pil_unpack

TL_INLINE void unpack_pixels(RawMode raw, const uint8_t* in, DecodedImage& im, size_t first, int count) {
  using namespace pil_unpack;
  if (raw == RawMode::i16b) {
    int32_t* o = im.ints.data() + first;
    for (int i = 0; i < count; ++i) o[i] = static_cast<int32_t>(be16(in + 2 * i));
    return;
  }
  uint8_t* out = im.pixels.data() + first * static_cast<size_t>(mode_bands(im.mode));
  switch (raw) {
    case RawMode::bit1: return samples<1>(in, out, count, [](int v) { return v ? 255 : 0; });
    case RawMode::bit1_inv: return samples<1>(in, out, count, [](int v) { return v ? 0 : 255; });
    case RawMode::bit1_byte:
      for (int i = 0; i < count; ++i) out[i] = in[i] ? 255 : 0;
      return;
    case RawMode::l2: return samples<2>(in, out, count, [](int v) { return v * 0x55; });
    case RawMode::l4: return samples<4>(in, out, count, [](int v) { return v * 0x11; });
    case RawMode::p1: return samples<1>(in, out, count, [](int v) { return v; });
    case RawMode::p2: return samples<2>(in, out, count, [](int v) { return v; });
    case RawMode::p4: return samples<4>(in, out, count, [](int v) { return v; });
    case RawMode::l8:
    case RawMode::p8: std::memcpy(out, in, static_cast<size_t>(count)); return;
    case RawMode::la: std::memcpy(out, in, static_cast<size_t>(count) * 2); return;
    case RawMode::rgb: std::memcpy(out, in, static_cast<size_t>(count) * 3); return;
    case RawMode::rgba: std::memcpy(out, in, static_cast<size_t>(count) * 4); return;
    case RawMode::rgb16b:
      return pixels<6, 3>(in, out, count, [](const uint8_t* p, uint8_t* o) { o[0] = p[0], o[1] = p[2], o[2] = p[4]; });
    case RawMode::bgr:
      return pixels<3, 3>(in, out, count, [](const uint8_t* p, uint8_t* o) { o[0] = p[2], o[1] = p[1], o[2] = p[0]; });
    case RawMode::bgrx:
      return pixels<4, 3>(in, out, count, [](const uint8_t* p, uint8_t* o) { o[0] = p[2], o[1] = p[1], o[2] = p[0]; });
    case RawMode::xbgr:
      return pixels<4, 3>(in, out, count, [](const uint8_t* p, uint8_t* o) { o[0] = p[3], o[1] = p[2], o[2] = p[1]; });
    case RawMode::bgr15:  // ImagingUnpackBGR15: 5 bits * 255 / 31, truncated
      return pixels<2, 3>(in, out, count, [](const uint8_t* p, uint8_t* o) {
        const int v = p[0] | p[1] << 8;
        o[2] = static_cast<uint8_t>((v & 31) * 255 / 31);
        o[1] = static_cast<uint8_t>(((v >> 5) & 31) * 255 / 31);
        o[0] = static_cast<uint8_t>(((v >> 10) & 31) * 255 / 31);
      });
    case RawMode::bgr16:
      return pixels<2, 3>(in, out, count, [](const uint8_t* p, uint8_t* o) {
        const int v = p[0] | p[1] << 8;
        o[2] = static_cast<uint8_t>((v & 31) * 255 / 31);
        o[1] = static_cast<uint8_t>(((v >> 5) & 63) * 255 / 63);
        o[0] = static_cast<uint8_t>(((v >> 11) & 31) * 255 / 31);
      });
    case RawMode::rgba16b:
      return pixels<8, 4>(in, out, count, [](const uint8_t* p, uint8_t* o) { o[0] = p[0], o[1] = p[2], o[2] = p[4], o[3] = p[6]; });
    case RawMode::la16b:
      return pixels<4, 4>(in, out, count, [](const uint8_t* p, uint8_t* o) { o[0] = o[1] = o[2] = p[0], o[3] = p[2]; });
    case RawMode::bgra:
      return pixels<4, 4>(in, out, count, [](const uint8_t* p, uint8_t* o) { o[0] = p[2], o[1] = p[1], o[2] = p[0], o[3] = p[3]; });
    case RawMode::abgr:
      return pixels<4, 4>(in, out, count, [](const uint8_t* p, uint8_t* o) { o[0] = p[3], o[1] = p[2], o[2] = p[1], o[3] = p[0]; });
    case RawMode::i16b: return;
  }
}

TL_INLINE Tile tile_of(const DecodedImage& im, int x0, int y0, int x1, int y1) {
  Tile t{x0, y0, x1 - x0, y1 - y0};
  if (x0 == 0 && x1 == 0) t = {0, 0, im.width, im.height};
  if (t.xsize <= 0 || t.x0 + t.xsize > im.width || t.ysize <= 0 || t.y0 + t.ysize > im.height || t.x0 < 0 || t.y0 < 0)
    refuse(DecodeFailure::corrupt, "tile cannot extend outside image");
  return t;
}

TL_INLINE DecodeStep RawDecoder::operator()(const uint8_t* buf, size_t n) {
  const uint8_t* ptr = buf;
  int64_t left = static_cast<int64_t>(n);
  if (state_ == 0) {
    bytes_ = (int64_t{tile_.xsize} * raw_bits(raw_) + 7) / 8;
    skip_ = stride_ ? stride_ - bytes_ : 0;
    if (skip_ < 0) return {-1, -8};  // IMAGING_CODEC_CONFIG
    y_ = ystep_ < 0 ? tile_.ysize - 1 : 0;
    state_ = 1;
  }
  for (;;) {
    if (state_ == 2) {
      if (left < skip_) return {static_cast<long>(ptr - buf)};
      ptr += skip_, left -= skip_;
      state_ = 1;
    }
    if (left < bytes_) return {static_cast<long>(ptr - buf)};
    unpack_pixels(raw_, ptr, *im_, static_cast<size_t>(y_ + tile_.y0) * static_cast<size_t>(im_->width) + static_cast<size_t>(tile_.x0), tile_.xsize);
    ptr += bytes_, left -= bytes_;
    y_ += ystep_ < 0 ? -1 : 1;
    if (y_ < 0 || y_ >= tile_.ysize) return {-1};
    state_ = 2;
  }
}

TL_INLINE std::string codec_error(int errcode) {
  switch (errcode) {
    case -1: return "image buffer overrun error";
    case -2: return "broken data stream when reading image file";
    case -3: return "unrecognized data stream contents when reading image file";
    case -8: return "codec configuration error when reading image file";
    case -9: return "out of memory error";
    default: return "decoder error " + std::to_string(errcode) + " when reading image file";
  }
}

TL_INLINE void load_raw(DecodedImage& im, const ByteCursor& file, size_t offset, RawMode raw, int64_t stride, int ystep) {
  ByteCursor f = file;
  f.pos = offset;
  RawDecoder d(im, raw, tile_of(im, 0, 0, 0, 0), stride, ystep);
  image_file_load([&](size_t k) { return f.read(k); }, [&](const uint8_t* p, size_t n) { return d(p, n); });
}

TL_INLINE void set_as_raw(DecodedImage& im, RawMode raw, const std::vector<uint8_t>& data, int ystep) {
  RawDecoder d(im, raw, tile_of(im, 0, 0, 0, 0), 0, ystep);
  const DecodeStep s = d(data.data(), data.size());
  if (s.consumed >= 0) refuse(DecodeFailure::truncated, "not enough image data");
  if (s.errcode != 0) refuse(DecodeFailure::corrupt, "cannot decode image data");
}

}  // namespace tl::preprocessing::image::detail
