#pragma once
#include <tl/preprocessing/image/detail/bmp_decoder.hpp>

#include <tl/preprocessing/image/detail/pil_codec.hpp>

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

namespace tl::preprocessing::image::detail {

namespace bmp {

/// What BmpImageFile._bitmap decides before any pixel.
struct Header {
  int64_t width = 0, height = 0, bits = 0, compression = 0;
  int direction = -1;  // -1: bottom-up rows
  PilMode mode = PilMode::P;
  RawMode raw = RawMode::p8;
  bool raw_is_mode = false;  // the tile's raw mode names the image mode (PIL's memory-map condition)
  bool rle = false;
  int padding = 4;             // palette entry bytes
  std::vector<uint8_t> palette;
  int64_t data_at = 0;         // the tile's offset
};

/// BmpImageFile._bitmap (BmpImagePlugin.py:74-282).
inline Header read_header(const ByteCursor& file, size_t header_at, int64_t offset) {
  ByteCursor f = file;
  f.pos = header_at;
  if (f.left() < 4) refuse(DecodeFailure::unidentified, "the BMP header size is cut");
  const uint32_t header_size = le32(f.read(4).first);
  const uint8_t* hd = f.safe_read(int64_t{header_size} - 4);
  const size_t hd_len = header_size >= 4 ? header_size - 4 : 0;
  Header h;
  int64_t colors = 0;
  uint32_t masks[4] = {0, 0, 0, 0};
  if (header_size == 12) {  // OS/2 v1: 16-bit sizes, 3-byte palette entries
    h.width = le16(hd), h.height = le16(hd + 2), h.bits = le16(hd + 6);
    h.padding = 3;
  } else if (header_size == 40 || header_size == 64 || header_size == 108 || header_size == 124) {
    const bool y_flip = hd[7] == 0xFF;
    h.direction = y_flip ? 1 : -1;
    h.width = le32(hd);
    h.height = y_flip ? (int64_t{1} << 32) - int64_t{le32(hd + 4)} : int64_t{le32(hd + 4)};
    h.bits = le16(hd + 10);
    h.compression = le32(hd + 12);
    colors = le32(hd + 28);
    if (h.compression == 3) {
      if (hd_len >= 52) {
        for (int k = 0; k < 4; ++k) masks[k] = le32(hd + 36 + 4 * k);
      } else {
        for (int k = 0; k < 3; ++k) {
          if (f.left() < 4) refuse(DecodeFailure::unidentified, "the BMP bitfield masks are cut");
          masks[k] = le32(f.read(4).first);
        }
      }
    }
  } else {
    refuse(DecodeFailure::unsupported, "Unsupported BMP header type (" + std::to_string(header_size) + ")");
  }
  // colors = colors or 1 << bits (Python's shift has no bound; only compared below)
  const bool colors_huge = colors == 0 && h.bits >= 40;
  if (colors == 0 && !colors_huge) colors = int64_t{1} << h.bits;
  if (offset == 14 + int64_t{header_size} && h.bits <= 8) offset += 4 * colors;
  switch (h.bits) {
    case 1: h.mode = PilMode::P, h.raw = RawMode::p1; break;
    case 4: h.mode = PilMode::P, h.raw = RawMode::p4; break;
    case 8: h.mode = PilMode::P, h.raw = RawMode::p8, h.raw_is_mode = true; break;
    case 16: h.mode = PilMode::RGB, h.raw = RawMode::bgr15; break;
    case 24: h.mode = PilMode::RGB, h.raw = RawMode::bgr; break;
    case 32: h.mode = PilMode::RGB, h.raw = RawMode::bgrx; break;
    default: refuse(DecodeFailure::unsupported, "Unsupported BMP pixel depth (" + std::to_string(h.bits) + ")");
  }
  if (h.compression == 3) {
    const uint32_t r = masks[0], g = masks[1], b = masks[2], a = masks[3];
    const auto is = [&](uint32_t R, uint32_t G, uint32_t B, uint32_t A) { return r == R && g == G && b == B && a == A; };
    const auto is3 = [&](uint32_t R, uint32_t G, uint32_t B) { return r == R && g == G && b == B; };
    h.raw_is_mode = false;
    if (h.bits == 32 && is(0xFF0000, 0xFF00, 0xFF, 0)) h.raw = RawMode::bgrx;
    else if (h.bits == 32 && is(0xFF000000, 0xFF0000, 0xFF00, 0)) h.raw = RawMode::xbgr;
    else if (h.bits == 32 && is(0xFF000000, 0xFF0000, 0xFF00, 0xFF)) h.raw = RawMode::abgr, h.mode = PilMode::RGBA;
    else if (h.bits == 32 && is(0xFF, 0xFF00, 0xFF0000, 0xFF000000)) h.raw = RawMode::rgba, h.mode = PilMode::RGBA, h.raw_is_mode = true;
    else if (h.bits == 32 && (is(0xFF0000, 0xFF00, 0xFF, 0xFF000000) || is(0, 0, 0, 0))) h.raw = RawMode::bgra, h.mode = PilMode::RGBA;
    else if (h.bits == 24 && is3(0xFF0000, 0xFF00, 0xFF)) h.raw = RawMode::bgr;
    else if (h.bits == 16 && is3(0xF800, 0x7E0, 0x1F)) h.raw = RawMode::bgr16;
    else if (h.bits == 16 && is3(0x7C00, 0x3E0, 0x1F)) h.raw = RawMode::bgr15;
    else refuse(DecodeFailure::unsupported, "Unsupported BMP bitfields layout");
  } else if (h.compression == 1 || h.compression == 2) {
    h.rle = true;
  } else if (h.compression != 0) {
    refuse(DecodeFailure::unsupported, "Unsupported BMP compression (" + std::to_string(h.compression) + ")");
  }
  if (h.mode == PilMode::P) {
    if (colors_huge || !(0 < colors && colors <= 65536))
      refuse(DecodeFailure::unsupported, "Unsupported BMP Palette size (" + std::to_string(colors) + ")");
    const auto [p, n] = f.read(static_cast<size_t>(h.padding * colors));
    h.palette.assign(p, p + n);
    bool grey = true;
    for (int64_t i = 0; i < colors && grey; ++i) {
      const int64_t val = (colors == 2 ? (i ? 255 : 0) : i) & 255;  // o8(val) keeps the low byte
      const size_t at = static_cast<size_t>(i * h.padding);
      grey = at + 3 <= h.palette.size() && h.palette[at] == val && h.palette[at + 1] == val && h.palette[at + 2] == val;
    }
    if (grey) {  // the palette is dropped; raw mode "1" or "L" whatever the depth
      h.mode = colors == 2 ? PilMode::bilevel : PilMode::L;
      h.raw = colors == 2 ? RawMode::bit1 : RawMode::l8;
      h.raw_is_mode = colors != 2;
      h.palette.clear();
    }
  }
  h.data_at = offset ? offset : static_cast<int64_t>(f.pos);
  if (h.width <= 0 || h.height <= 0) refuse(DecodeFailure::unidentified, "not identified by this driver");
  bomb_check(h.width, h.height);
  if (h.width > INT32_MAX || h.height > INT32_MAX) refuse(DecodeFailure::unsupported, "the image size does not fit a C int");
  return h;
}

inline Header open(const uint8_t* data, size_t size, bool dib) {
  const ByteCursor file{data, size, 0};
  if (dib) return read_header(file, 0, 0);
  if (size < 2 || data[0] != 'B' || data[1] != 'M') refuse(DecodeFailure::unidentified, "Not a BMP file");
  if (size < 14) refuse(DecodeFailure::unidentified, "the BMP file header is cut");
  return read_header(file, 14, le32(data + 10));
}

/// BmpRleDecoder.decode with its quirks: a delta reads two more bytes than it uses, an odd RLE4 absolute run reads
/// count // 2 bytes, runs past the row end are cut, absolute runs are not, and the word alignment follows the file
/// position.
inline void decode_rle(DecodedImage& im, const ByteCursor& file, const Header& h) {
  if (im.mode == PilMode::bilevel) refuse(DecodeFailure::unsupported, "unknown raw mode for an RLE image of mode 1");
  const bool rle4 = h.compression == 2;
  ByteCursor r = file;
  r.pos = static_cast<size_t>(h.data_at);
  std::vector<uint8_t> data;
  const size_t width = static_cast<size_t>(h.width);
  const size_t total = width * static_cast<size_t>(h.height);
  data.reserve(std::min(total, r.left() * 255 + 1));
  int64_t x = 0;
  while (data.size() < total) {
    const int pixels = r.byte(), byte = r.byte();
    if (pixels < 0 || byte < 0) break;
    if (pixels) {
      int64_t num = pixels;
      if (x + num > h.width) num = std::max<int64_t>(0, h.width - x);
      for (int64_t i = 0; i < num; ++i) data.push_back(static_cast<uint8_t>(rle4 ? (i % 2 == 0 ? byte >> 4 : byte & 15) : byte));
      x += num;
    } else if (byte == 0) {  // end of line
      while (data.size() % width != 0) data.push_back(0);
      x = 0;
    } else if (byte == 1) {  // end of bitmap
      break;
    } else if (byte == 2) {  // delta
      if (r.read(2).second < 2) break;
      const auto [d, k] = r.read(2);
      if (k < 2) refuse(DecodeFailure::unsupported, "not enough values to unpack (BMP RLE delta)");
      data.insert(data.end(), size_t{d[0]} + size_t{d[1]} * width, 0);
      x = static_cast<int64_t>(data.size() % width);
    } else {  // absolute run
      const int count = rle4 ? byte / 2 : byte;
      const auto [d, k] = r.read(static_cast<size_t>(count));
      for (size_t i = 0; i < k; ++i) {
        if (rle4) data.push_back(static_cast<uint8_t>(d[i] >> 4)), data.push_back(static_cast<uint8_t>(d[i] & 15));
        else data.push_back(d[i]);
      }
      if (k < static_cast<size_t>(count)) break;
      x += byte;
      if (r.pos % 2 != 0) r.pos += 1;
    }
  }
  set_as_raw(im, im.mode == PilMode::L ? RawMode::l8 : RawMode::p8, data, h.direction);
}

}  // namespace bmp

TL_INLINE ImageInfo bmp_open(const uint8_t* data, size_t size, bool dib) {
  const bmp::Header h = bmp::open(data, size, dib);
  return {static_cast<int>(h.width), static_cast<int>(h.height), mode_name(h.mode)};
}

TL_INLINE DecodedImage bmp_decode(const uint8_t* data, size_t size, bool dib) {
  const bmp::Header h = bmp::open(data, size, dib);
  const ByteCursor file{data, size, 0};
  DecodedImage im = DecodedImage::blank(h.mode, static_cast<int>(h.width), static_cast<int>(h.height));
  if (h.mode == PilMode::P) im.put_palette(h.palette.data(), h.palette.size(), h.padding, true);
  const int64_t stride = ((h.width * h.bits + 31) >> 3) & ~int64_t{3};
  const bool mappable = h.mode == PilMode::L || h.mode == PilMode::P || h.mode == PilMode::RGBA;
  const bool fits = h.data_at <= static_cast<int64_t>(size) && h.height <= (static_cast<int64_t>(size) - h.data_at) / stride;
  if (!h.rle && h.raw_is_mode && mappable && fits) {
    // ImageFile.load's memory map (ImageFile.py:187-214, map.c): rows point into the file `stride` apart and are
    // read as the mode's bytes, even when the stride is shorter than a row (a 1/4-bit file with a grey palette
    // becomes "L" and reads overlapping 8-bit rows; past the end of the file the page holds zeros).
    const size_t bpp = h.mode == PilMode::RGBA ? 4 : 1;
    const size_t row = static_cast<size_t>(h.width) * bpp;
    for (int64_t y = 0; y < h.height; ++y) {
      const size_t at = static_cast<size_t>(h.data_at) + static_cast<size_t>(h.direction > 0 ? y : h.height - 1 - y) * static_cast<size_t>(stride);
      uint8_t* out = im.pixels.data() + static_cast<size_t>(y) * row;
      const size_t available = at < size ? std::min(row, size - at) : 0;
      std::copy_n(data + std::min(at, size), available, out);
      std::fill(out + available, out + row, uint8_t{0});
    }
    return im;
  }
  if (h.rle) bmp::decode_rle(im, file, h);
  else load_raw(im, file, static_cast<size_t>(h.data_at), h.raw, stride, h.direction);
  return im;
}

}  // namespace tl::preprocessing::image::detail
