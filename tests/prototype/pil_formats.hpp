#pragma once
// Prototype (docs/dev/decoding_research.md): BMP/DIB, GIF, PPM/PGM/PBM and PNG read as Pillow 9.4 reads them for
// keras_preprocessing's load_img (Image.open, then load of frame 0), with tl's own bounds-checked code (PNG's
// inflate through zlib). Each decoder mirrors the plugin and codec named in its comment, quirks included, so
// that accepting/refusing and every pixel match PIL. JPEG: jpeg_pil_exact.hpp.
//
// Pillow sources (tag 9.4.0): src/PIL/{Bmp,Gif,Ppm,Png}ImagePlugin.py, src/PIL/ImageFile.py (load loop),
// src/libImaging/{RawDecode,GifDecode,ZipDecode,Unpack}.c. Ported logic keeps Pillow's structure where its
// behaviour depends on it (HPND licence, permissive).
#include "jpeg_pil_exact.hpp"
#include "pil_image_model.hpp"

#include <zlib.h>

#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <regex>

namespace proto::formats {

/// A read cursor over the file's bytes with Python file semantics: read(n) returns what is left.
struct File {
  const uint8_t* data;
  size_t size;
  size_t pos = 0;
  size_t left() const { return pos < size ? size - pos : 0; }
  std::pair<const uint8_t*, size_t> read(size_t n) {
    const size_t k = std::min(n, left());
    const uint8_t* p = data + std::min(pos, size);
    pos += k;
    return {p, k};
  }
  int byte() { return left() ? data[pos++] : -1; }
  /// ImageFile._safe_read: all n bytes or OSError("Truncated File Read").
  std::pair<const uint8_t*, size_t> safe_read(int64_t n) {
    if (n <= 0) return {data + std::min(pos, size), 0};
    if (size_t(n) > left()) throw PilRefusal("OSError", "is truncated (Truncated File Read)");
    return read(size_t(n));
  }
};

inline uint32_t le16(const uint8_t* p) { return p[0] | p[1] << 8; }
inline uint32_t le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24; }
inline uint32_t be16(const uint8_t* p) { return p[0] << 8 | p[1]; }
inline uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

// ------------------------------------------------------------------------------------------- unpackers
/// An unpacker of Unpack.c: `bits` per pixel (what the raw and zip decoders size rows with) and the function
/// writing `count` pixels from `in` to image pixels first, first+1, ...
struct Unpacker {
  int bits = 8;
  std::function<void(const uint8_t* in, PilImage& im, size_t first, int count)> unpack;
};

inline Unpacker find_unpacker(const std::string& mode, const std::string& raw) {
  using F = decltype(Unpacker::unpack);
  auto bitsof = [](int bits, auto value) {  // sub-byte samples, most significant first
    return Unpacker{bits, [bits, value](const uint8_t* in, PilImage& im, size_t first, int count) {
                      for (int i = 0; i < count; ++i) {
                        const int bit = i * bits;
                        const int v = (in[bit / 8] >> (8 - bits - bit % 8)) & ((1 << bits) - 1);
                        im.px[first + i] = uint8_t(value(v));
                      }
                    }};
  };
  auto bytes = [](int bits, int bands, auto pixel) {  // whole-byte pixels to `bands` output bytes
    return Unpacker{bits, F([bits, bands, pixel](const uint8_t* in, PilImage& im, size_t first, int count) {
                      for (int i = 0; i < count; ++i) pixel(in + size_t(i) * (bits / 8), &im.px[(first + i) * bands]);
                    })};
  };
  if (mode == "1" && raw == "1") return bitsof(1, [](int v) { return v ? 255 : 0; });
  if (mode == "1" && raw == "1;I") return bitsof(1, [](int v) { return v ? 0 : 255; });
  if (mode == "1" && raw == "1;8") return bytes(8, 1, [](const uint8_t* p, uint8_t* o) { o[0] = p[0] ? 255 : 0; });
  if (mode == "L" && raw == "L;2") return bitsof(2, [](int v) { return v * 0x55; });
  if (mode == "L" && raw == "L;4") return bitsof(4, [](int v) { return v * 0x11; });
  if ((mode == "L" && raw == "L") || (mode == "P" && raw == "P"))
    return bytes(8, 1, [](const uint8_t* p, uint8_t* o) { o[0] = p[0]; });
  if (mode == "P" && raw == "P;1") return bitsof(1, [](int v) { return v; });
  if (mode == "P" && raw == "P;2") return bitsof(2, [](int v) { return v; });
  if (mode == "P" && raw == "P;4") return bitsof(4, [](int v) { return v; });
  if (mode == "I" && (raw == "I;16B" || raw == "I;32"))
    return {raw == "I;16B" ? 16 : 32, [raw](const uint8_t* in, PilImage& im, size_t first, int count) {
              for (int i = 0; i < count; ++i)
                im.ipx[first + i] = raw == "I;16B" ? int32_t(be16(in + 2 * i)) : int32_t(le32(in + 4 * i));
            }};
  if (mode == "LA" && raw == "LA") return bytes(16, 2, [](const uint8_t* p, uint8_t* o) { o[0] = p[0], o[1] = p[1]; });
  if (mode == "RGB") {
    if (raw == "RGB") return bytes(24, 3, [](const uint8_t* p, uint8_t* o) { o[0] = p[0], o[1] = p[1], o[2] = p[2]; });
    if (raw == "RGB;16B") return bytes(48, 3, [](const uint8_t* p, uint8_t* o) { o[0] = p[0], o[1] = p[2], o[2] = p[4]; });
    if (raw == "BGR") return bytes(24, 3, [](const uint8_t* p, uint8_t* o) { o[0] = p[2], o[1] = p[1], o[2] = p[0]; });
    if (raw == "BGRX") return bytes(32, 3, [](const uint8_t* p, uint8_t* o) { o[0] = p[2], o[1] = p[1], o[2] = p[0]; });
    if (raw == "XBGR") return bytes(32, 3, [](const uint8_t* p, uint8_t* o) { o[0] = p[3], o[1] = p[2], o[2] = p[1]; });
    if (raw == "BGR;15")  // ImagingUnpackBGR15: 5 bits * 255 / 31, truncated
      return bytes(16, 3, [](const uint8_t* p, uint8_t* o) {
        const int v = p[0] | p[1] << 8;
        o[2] = uint8_t((v & 31) * 255 / 31), o[1] = uint8_t(((v >> 5) & 31) * 255 / 31), o[0] = uint8_t(((v >> 10) & 31) * 255 / 31);
      });
    if (raw == "BGR;16")
      return bytes(16, 3, [](const uint8_t* p, uint8_t* o) {
        const int v = p[0] | p[1] << 8;
        o[2] = uint8_t((v & 31) * 255 / 31), o[1] = uint8_t(((v >> 5) & 63) * 255 / 63), o[0] = uint8_t(((v >> 11) & 31) * 255 / 31);
      });
  }
  if (mode == "RGBA") {
    if (raw == "RGBA") return bytes(32, 4, [](const uint8_t* p, uint8_t* o) { std::memcpy(o, p, 4); });
    if (raw == "RGBA;16B") return bytes(64, 4, [](const uint8_t* p, uint8_t* o) { o[0] = p[0], o[1] = p[2], o[2] = p[4], o[3] = p[6]; });
    if (raw == "LA;16B") return bytes(32, 4, [](const uint8_t* p, uint8_t* o) { o[0] = o[1] = o[2] = p[0], o[3] = p[2]; });
    if (raw == "BGRA") return bytes(32, 4, [](const uint8_t* p, uint8_t* o) { o[0] = p[2], o[1] = p[1], o[2] = p[0], o[3] = p[3]; });
    if (raw == "ABGR") return bytes(32, 4, [](const uint8_t* p, uint8_t* o) { o[0] = p[3], o[1] = p[2], o[2] = p[1], o[3] = p[0]; });
  }
  throw PilRefusal("ValueError", "unknown raw mode " + raw + " for mode " + mode);
}

// ------------------------------------------------------------------------------------------- ImageFile.load
/// A push decoder's answer: bytes consumed (>= 0), or -1 when done; errcode < 0 is a codec error.
struct Step {
  long consumed;
  int errcode = 0;
};

/// ImageFile.load's loop (ImageFile.py:246-272): read blocks of 65536 bytes, hand the unconsumed rest plus the
/// new block to the decoder; no more bytes while the decoder wants some -> "image file is truncated".
template <class Read, class Decode>
void image_file_load(Read read, Decode decode) {
  std::vector<uint8_t> b;
  for (;;) {
    const auto [p, n] = read(size_t{65536});
    if (n == 0) throw truncated();
    b.insert(b.end(), p, p + n);
    const Step s = decode(b.data(), b.size());
    if (s.consumed < 0) {
      if (s.errcode < 0) throw broken("codec error " + std::to_string(s.errcode));
      return;
    }
    b.erase(b.begin(), b.begin() + s.consumed);
  }
}

/// The region a tile decodes into (decode.c _setimage: x0 == x1 == 0 means the whole image).
struct Tile {
  int x0 = 0, y0 = 0, xsize = 0, ysize = 0;
};
inline Tile tile_of(const PilImage& im, int x0, int y0, int x1, int y1) {
  Tile t{x0, y0, x1 - x0, y1 - y0};
  if (x0 == 0 && x1 == 0) t = {0, 0, im.width, im.height};
  if (t.xsize <= 0 || t.x0 + t.xsize > im.width || t.ysize <= 0 || t.y0 + t.ysize > im.height || t.x0 < 0 || t.y0 < 0)
    throw PilRefusal("ValueError", "tile cannot extend outside image");
  return t;
}

/// RawDecode.c: rows of ceil(xsize * bits / 8) bytes, `stride` apart (0: packed), bottom-up when ystep < 0.
struct RawDecoder {
  PilImage& im;
  Unpacker unpack;
  Tile tile;
  int64_t stride = 0, skip = 0, bytes = 0;
  int y = 0, ystep = 1, state = 0;
  Step operator()(const uint8_t* buf, size_t n) {
    const uint8_t* ptr = buf;
    int64_t left = int64_t(n);
    if (state == 0) {
      bytes = (int64_t(tile.xsize) * unpack.bits + 7) / 8;
      skip = stride ? stride - bytes : 0;
      if (skip < 0) return {-1, -8};  // IMAGING_CODEC_CONFIG
      y = ystep < 0 ? tile.ysize - 1 : 0;
      state = 1;
    }
    for (;;) {
      if (state == 2) {
        if (left < skip) return {long(ptr - buf)};
        ptr += skip, left -= skip;
        state = 1;
      }
      if (left < bytes) return {long(ptr - buf)};
      unpack.unpack(ptr, im, size_t(y + tile.y0) * im.width + tile.x0, tile.xsize);
      ptr += bytes, left -= bytes;
      y += ystep < 0 ? -1 : 1;
      if (y < 0 || y >= tile.ysize) return {-1};
      state = 2;
    }
  }
};

/// PyDecoder.set_as_raw (ImageFile.py): the whole decoded buffer through the raw decoder at once; short data is
/// ValueError("not enough image data").
inline void set_as_raw(PilImage& im, const std::string& raw, const std::vector<uint8_t>& data, int ystep) {
  RawDecoder d{im, find_unpacker(im.mode, raw), tile_of(im, 0, 0, 0, 0)};
  d.ystep = ystep;
  const Step s = d(data.data(), data.size());
  if (s.consumed >= 0) throw PilRefusal("ValueError", "not enough image data");
  if (s.errcode != 0) throw PilRefusal("ValueError", "cannot decode image data");
}

/// A raw tile through ImageFile.load from `offset` (BMP and PPM raw data).
inline void load_raw(PilImage& im, const File& file, size_t offset, const std::string& raw, int64_t stride, int ystep) {
  File f = file;
  f.pos = offset;
  RawDecoder d{im, find_unpacker(im.mode, raw), tile_of(im, 0, 0, 0, 0), stride};
  d.ystep = ystep;
  image_file_load([&](size_t k) { return f.read(k); }, [&](const uint8_t* p, size_t n) { return d(p, n); });
}

// ------------------------------------------------------------------------------------------- BMP / DIB
/// BmpImagePlugin._bitmap (BmpImagePlugin.py:70-280) and load (raw decoder, or BmpRleDecoder :283-347).
inline PilImage bmp(const File& file, size_t header_at, uint32_t offset) {
  File f = file;
  f.pos = header_at;
  if (f.left() < 4) throw unidentified("struct.error reading the BMP header size");
  const uint32_t header_size = le32(f.read(4).first);
  const auto [hd, hd_len] = f.safe_read(int64_t(header_size) - 4);
  int64_t width, height, bits, compression = 0, colors = 0;
  int direction = -1, padding;
  uint32_t masks[4] = {0, 0, 0, 0};
  if (header_size == 12) {
    width = le16(hd), height = le16(hd + 2), bits = le16(hd + 6);
    padding = 3;
  } else if (header_size == 40 || header_size == 64 || header_size == 108 || header_size == 124) {
    const bool y_flip = hd[7] == 0xFF;
    direction = y_flip ? 1 : -1;
    width = le32(hd);
    height = y_flip ? (int64_t{1} << 32) - le32(hd + 4) : le32(hd + 4);
    bits = le16(hd + 10);
    compression = le32(hd + 12);
    colors = le32(hd + 28);
    padding = 4;
    if (compression == 3) {
      if (hd_len >= 52) {
        for (int k = 0; k < 4; ++k) masks[k] = le32(hd + 36 + 4 * k);
      } else {
        for (int k = 0; k < 3; ++k) {
          if (f.left() < 4) throw unidentified("struct.error reading BMP bitfield masks");
          masks[k] = le32(f.read(4).first);
        }
      }
    }
  } else {
    throw PilRefusal("OSError", "unsupported BMP header type (" + std::to_string(header_size) + ")");
  }
  // colors = colors or 1 << bits (Python's unbounded shift; only compared below)
  const bool colors_huge = colors == 0 && bits >= 40;
  if (colors == 0 && !colors_huge) colors = int64_t{1} << bits;
  if (offset == 14 + header_size && bits <= 8) offset += uint32_t(4 * colors);
  std::string mode, raw;
  switch (bits) {
    case 1: mode = "P", raw = "P;1"; break;
    case 4: mode = "P", raw = "P;4"; break;
    case 8: mode = "P", raw = "P"; break;
    case 16: mode = "RGB", raw = "BGR;15"; break;
    case 24: mode = "RGB", raw = "BGR"; break;
    case 32: mode = "RGB", raw = "BGRX"; break;
    default: throw PilRefusal("OSError", "unsupported BMP pixel depth (" + std::to_string(bits) + ")");
  }
  bool rle = false;
  if (compression == 3) {
    const uint32_t r = masks[0], g = masks[1], b = masks[2], a = masks[3];
    auto is = [&](uint32_t R, uint32_t G, uint32_t B, uint32_t A) { return r == R && g == G && b == B && a == A; };
    auto is3 = [&](uint32_t R, uint32_t G, uint32_t B) { return r == R && g == G && b == B; };
    if (bits == 32 && is(0xFF0000, 0xFF00, 0xFF, 0)) raw = "BGRX";
    else if (bits == 32 && is(0xFF000000, 0xFF0000, 0xFF00, 0)) raw = "XBGR";
    else if (bits == 32 && is(0xFF000000, 0xFF0000, 0xFF00, 0xFF)) raw = "ABGR";
    else if (bits == 32 && is(0xFF, 0xFF00, 0xFF0000, 0xFF000000)) raw = "RGBA";
    else if (bits == 32 && (is(0xFF0000, 0xFF00, 0xFF, 0xFF000000) || is(0, 0, 0, 0))) raw = "BGRA";
    else if (bits == 24 && is3(0xFF0000, 0xFF00, 0xFF)) raw = "BGR";
    else if (bits == 16 && is3(0xF800, 0x7E0, 0x1F)) raw = "BGR;16";
    else if (bits == 16 && is3(0x7C00, 0x3E0, 0x1F)) raw = "BGR;15";
    else throw PilRefusal("OSError", "unsupported BMP bitfields layout");
    if (raw.find('A') != std::string::npos) mode = "RGBA";
  } else if (compression == 1 || compression == 2) {
    rle = true;
  } else if (compression != 0) {
    throw PilRefusal("OSError", "unsupported BMP compression (" + std::to_string(compression) + ")");
  }
  std::vector<uint8_t> palette;
  if (mode == "P") {
    if (colors_huge || !(0 < colors && colors <= 65536)) throw PilRefusal("OSError", "unsupported BMP palette size");
    const auto [p, n] = f.read(size_t(padding * colors));
    palette.assign(p, p + n);
    bool grey = true;
    for (int64_t i = 0; i < colors; ++i) {
      const int64_t val = colors == 2 ? (i ? 255 : 0) : i;
      const size_t at = size_t(i * padding);
      // rgb = palette[at:at + 3] must equal o8(val) * 3 (o8 keeps the low byte)
      if (at + 3 > palette.size() || palette[at] != (val & 255) || palette[at + 1] != (val & 255) || palette[at + 2] != (val & 255)) {
        grey = false;
        break;
      }
    }
    if (grey) mode = raw = colors == 2 ? "1" : "L";
  }
  const size_t data_at = offset ? offset : f.pos;
  if (mode.empty() || width <= 0 || height <= 0) throw unidentified("not identified by this driver");
  bomb_check(width, height);
  if (width > INT32_MAX || height > INT32_MAX) throw PilRefusal("OverflowError", "size does not fit a C int");
  PilImage im = PilImage::blank(mode, int(width), int(height));
  if (mode == "P") im.put_palette(palette.data(), palette.size(), padding, true);
  const int64_t stride = ((width * bits + 31) >> 3) & ~int64_t{3};
  if (!rle && raw == mode && (mode == "L" || mode == "P" || mode == "RGBA") && data_at + height * stride <= file.size) {
    // ImageFile.load's mmap path (ImageFile.py:187-214, map.c PyImaging_MapBuffer): rows point into the file
    // `stride` apart and are read as the mode's bytes, even when the stride is shorter than a row (a 1/4-bit
    // file with a grey palette becomes "L" and reads overlapping 8-bit rows; past the file end the page is 0).
    const int bpp = mode == "RGBA" ? 4 : 1;
    for (int64_t y = 0; y < height; ++y) {
      const size_t at = data_at + size_t(direction > 0 ? y : height - 1 - y) * size_t(stride);
      for (int64_t x = 0; x < width * bpp; ++x) {
        const size_t k = at + size_t(x);
        const uint8_t v = k < file.size ? file.data[k] : 0;
        if (mode == "RGBA") im.px[size_t(y * width) * 4 + size_t(x)] = v;
        else im.px[size_t(y * width + x)] = v;
      }
    }
    return im;
  }
  if (!rle) {
    load_raw(im, file, data_at, raw, stride, direction);
    return im;
  }
  // BmpRleDecoder.decode, quirks kept: a delta reads two more bytes than it uses, an odd RLE4 absolute run
  // reads count // 2 bytes, runs past the row end are cut, absolute runs are not, and the word alignment
  // follows the file position.
  const bool rle4 = compression == 2;
  File r = file;
  r.pos = data_at;
  std::vector<uint8_t> data;
  const size_t total = size_t(width) * size_t(height);
  int64_t x = 0;
  while (data.size() < total) {
    const int pixels = r.byte(), byte = r.byte();
    if (pixels < 0 || byte < 0) break;
    if (pixels) {
      int64_t num = pixels;
      if (x + num > width) num = std::max<int64_t>(0, width - x);
      for (int64_t i = 0; i < num; ++i) data.push_back(uint8_t(rle4 ? (i % 2 == 0 ? byte >> 4 : byte & 15) : byte));
      x += num;
    } else if (byte == 0) {
      while (data.size() % size_t(width) != 0) data.push_back(0);
      x = 0;
    } else if (byte == 1) {
      break;
    } else if (byte == 2) {
      if (r.read(2).second < 2) break;
      const auto [d, k] = r.read(2);
      if (k < 2) throw PilRefusal("ValueError", "not enough values to unpack (RLE delta)");
      data.insert(data.end(), size_t(d[0]) + size_t(d[1]) * size_t(width), 0);
      x = int64_t(data.size() % size_t(width));
    } else {
      const int count = rle4 ? byte / 2 : byte;
      const auto [d, k] = r.read(size_t(count));
      for (size_t i = 0; i < k; ++i) {
        if (rle4) data.push_back(uint8_t(d[i] >> 4)), data.push_back(uint8_t(d[i] & 15));
        else data.push_back(d[i]);
      }
      if (k < size_t(count)) break;
      x += byte;
      if (r.pos % 2 != 0) r.pos += 1;
    }
  }
  set_as_raw(im, mode == "L" ? "L" : "P", data, direction);
  return im;
}

// ------------------------------------------------------------------------------------------- PPM family
inline bool pnm_space(int c) { return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D; }

/// Python's int() of a header/data token: optional sign, digits, single underscores between digits.
inline std::optional<int64_t> python_int(const std::string& t) {
  static const std::regex re("^[+-]?[0-9]+(_[0-9]+)*$");
  if (!std::regex_match(t, re)) return std::nullopt;
  std::string digits;
  for (char c : t)
    if (c != '_' && c != '+') digits += c;
  if (digits.size() > 15) return digits[0] == '-' ? INT64_MIN / 2 : INT64_MAX / 2;  // beyond any use
  return std::stoll(digits);
}

/// PpmImageFile._open / PpmPlainDecoder / PpmDecoder (PpmImagePlugin.py:40-300).
inline PilImage ppm(const File& file) {
  File f = file;
  std::string magic;
  for (int i = 0; i < 6; ++i) {
    const int c = f.byte();
    if (c < 0 || pnm_space(c)) break;
    magic += char(c);
  }
  std::string mode;
  if (magic == "P1" || magic == "P4") mode = "1";
  else if (magic == "P2" || magic == "P5") mode = "L";
  else if (magic == "P3" || magic == "P6") mode = "RGB";
  else if (magic == "P0CMYK" || magic == "PyP" || magic == "PyRGBA" || magic == "PyCMYK")
    throw PilRefusal("prototype", "PIL's private PPM variants are not reproduced");
  else throw unidentified("not a PPM file");
  const bool plain = magic == "P1" || magic == "P2" || magic == "P3";
  auto token = [&]() {
    std::string t;
    while (t.size() <= 10) {
      const int c = f.byte();
      if (c < 0) break;
      if (pnm_space(c)) {
        if (t.empty()) continue;
        break;
      }
      if (c == '#') {
        for (;;) {
          const int d = f.byte();
          if (d < 0 || d == '\r' || d == '\n') break;
        }
        continue;
      }
      t += char(c);
    }
    if (t.empty()) throw PilRefusal("ValueError", "reached EOF while reading header");
    if (t.size() > 10) throw PilRefusal("ValueError", "token too long in file header");
    const auto v = python_int(t);
    if (!v) throw PilRefusal("ValueError", "invalid literal for int(): " + t);
    return *v;
  };
  int64_t xsize = 0, ysize = 0, maxval = 0;
  std::string pil_mode = mode, rawmode = mode, decoder = plain ? "ppm_plain" : "raw";
  for (int ix = 0; ix < 3; ++ix) {
    const int64_t v = token();
    if (ix == 0) xsize = v;
    else if (ix == 1) {
      ysize = v;
      if (mode == "1") {
        rawmode = "1;I";
        break;
      }
    } else {
      maxval = v;
      if (!(0 < maxval && maxval < 65536)) throw PilRefusal("ValueError", "maxval must be greater than 0 and less than 65536");
      if (maxval > 255 && mode == "L") pil_mode = "I";
      if (!plain) {
        if (maxval == 65535 && mode == "L") rawmode = "I;16B";
        else if (maxval != 255) decoder = "ppm";
      }
    }
  }
  if (xsize <= 0 || ysize <= 0) throw unidentified("not identified by this driver");
  if (xsize > INT32_MAX || ysize > INT32_MAX) throw PilRefusal("OverflowError", "size does not fit a C int");
  bomb_check(xsize, ysize);
  PilImage im = PilImage::blank(pil_mode, int(xsize), int(ysize));
  const size_t data_at = f.pos;
  const int bands = pil_mode == "RGB" ? 3 : 1;
  if (decoder == "raw") {
    // The mmap path (ImageFile.py:187-214) needs the whole ysize * xsize for "L" and raises ValueError when
    // short; the decoder path needs the same bytes: both refuse a short file.
    load_raw(im, file, data_at, rawmode, 0, 1);
    return im;
  }
  const int64_t out_max = pil_mode == "I" ? 65535 : 255;
  const size_t total = size_t(xsize) * size_t(ysize) * bands;
  auto scaled = [&](int64_t value) { return std::nearbyint(double(value) / double(maxval) * double(out_max)); };
  if (decoder == "ppm") {  // PpmDecoder: binary samples of 1 or 2 bytes, rescaled with Python's round()
    std::vector<int64_t> values;
    File r = file;
    r.pos = data_at;
    const int in_bytes = maxval < 256 ? 1 : 2;
    while (values.size() < total) {
      const auto [p, k] = r.read(size_t(in_bytes * bands));
      if (k < size_t(in_bytes * bands)) break;
      for (int b = 0; b < bands; ++b)
        values.push_back(std::min<int64_t>(out_max, int64_t(scaled(in_bytes == 1 ? p[b] : be16(p + 2 * b)))));
    }
    std::vector<uint8_t> data;
    for (int64_t v : values) {
      if (pil_mode == "I") for (int k = 0; k < 4; ++k) data.push_back(uint8_t(uint32_t(v) >> (8 * k)));
      else data.push_back(uint8_t(v));
    }
    set_as_raw(im, pil_mode == "I" ? "I;32" : pil_mode, data, 1);
    return im;
  }
  // PpmPlainDecoder: the file after the header, in SAFEBLOCK (1 MiB) blocks, comments removed per block.
  File r = file;
  r.pos = data_at;
  bool comment_spans = false;
  auto read_block = [&]() {
    const auto [p, k] = r.read(size_t{1} << 20);
    return std::string(reinterpret_cast<const char*>(p), k);
  };
  auto comment_end = [](const std::string& b, size_t start) -> long {
    const long a = long(b.find('\n', start) == std::string::npos ? -1 : long(b.find('\n', start)));
    const long c = long(b.find('\r', start) == std::string::npos ? -1 : long(b.find('\r', start)));
    return a * c > 0 ? std::min(a, c) : std::max(a, c);
  };
  auto ignore_comments = [&](std::string block) {
    if (comment_spans) {
      while (!block.empty()) {
        const long e = comment_end(block, 0);
        if (e != -1) {
          block = block.substr(size_t(e) + 1);
          break;
        }
        block = read_block();
      }
    }
    comment_spans = false;
    for (;;) {
      const size_t start = block.find('#');
      if (start == std::string::npos) break;
      const long e = comment_end(block, start);
      if (e != -1) {
        block = block.substr(0, start) + block.substr(size_t(e) + 1);
      } else {
        block = block.substr(0, start);
        comment_spans = true;
        break;
      }
    }
    return block;
  };
  auto split = [](const std::string& b) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : b) {
      if (pnm_space(uint8_t(c))) {
        if (!cur.empty()) out.push_back(cur), cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  };
  std::vector<uint8_t> data;
  if (mode == "1") {  // _decode_bitonal: one character per pixel, whitespace optional
    const size_t want = size_t(xsize) * size_t(ysize);
    while (data.size() != want) {
      std::string block = read_block();
      if (block.empty()) break;
      block = ignore_comments(block);
      std::string tokens;
      for (const auto& t : split(block)) tokens += t;
      for (char c : tokens)
        if (c != '0' && c != '1') throw PilRefusal("ValueError", "invalid token for this mode");
      for (char c : tokens)
        if (data.size() < want) data.push_back(c == '1' ? 0x00 : 0xFF);
    }
    set_as_raw(im, "1;8", data, 1);
    return im;
  }
  // _decode_blocks: a token cut by the block end waits for the next block; at the end of the file it is
  // flushed again and again (half_token is never cleared), repeating the last value until the image is full.
  const size_t want = total * (pil_mode == "I" ? 4 : 1);
  std::string half;
  bool have_half = false;
  while (data.size() != want) {
    std::string block = read_block();
    if (block.empty()) {
      if (have_half) block = " ";
      else break;
    }
    block = ignore_comments(block);
    if (have_half) block = half + block;
    auto tokens = split(block);
    if (!block.empty() && !pnm_space(uint8_t(block.back()))) {
      half = tokens.back();
      tokens.pop_back();
      have_half = true;
      if (half.size() > 10) throw PilRefusal("ValueError", "token too long found in data");
    }
    for (const auto& t : tokens) {
      if (t.size() > 10) throw PilRefusal("ValueError", "token too long found in data");
      const auto v = python_int(t);
      if (!v) throw PilRefusal("ValueError", "invalid literal for int(): " + t);
      if (*v > maxval) throw PilRefusal("ValueError", "channel value too large for this mode");
      const int64_t value = int64_t(scaled(*v));
      if (pil_mode == "I") {
        if (value < 0) throw PilRefusal("struct.error", "negative value for o32");
        for (int k = 0; k < 4; ++k) data.push_back(uint8_t(uint32_t(value) >> (8 * k)));
      } else {
        data.push_back(uint8_t(value & 255));  // _binary.o8 keeps the low byte
      }
      if (data.size() == want) break;
    }
  }
  set_as_raw(im, pil_mode == "I" ? "I;32" : pil_mode, data, 1);
  return im;
}

// ------------------------------------------------------------------------------------------- GIF
/// GifDecode.c's LZW decoder (frame 0: transparency -1, every index written), resumable like the C original.
struct GifDecoder {
  static constexpr int kBits = 12, kTable = 1 << kBits, kBuffer = 1 << kBits;
  PilImage& im;
  Tile tile;
  int bits, interlace;
  int state = 0, x = 0, y = 0, step = 1, repeat = 0;
  int clear = 0, end = 0, next = 0, codesize = 0, codemask = 0, bufferindex = kBuffer;
  int32_t bitbuffer = 0;
  int bitcount = 0, blocksize = 0, lastcode = 0;
  uint8_t lastdata = 0;
  uint8_t buffer[kBuffer]{};
  uint16_t link[kTable]{};
  uint8_t data[kTable]{};

  uint8_t* row() { return &im.px[size_t(y + tile.y0) * im.width + tile.x0]; }
  /// NEWLINE: the next row (interlaced: the next pass's rows); false when the image is complete.
  bool newline(uint8_t*& out) {
    x = 0;
    y += step;
    while (y >= tile.ysize) switch (interlace) {
        case 1: repeat = y = 4, interlace = 2; break;
        case 2: step = 4, repeat = y = 2, interlace = 3; break;
        case 3: step = 2, repeat = y = 1, interlace = 0; break;
        default: return false;
      }
    if (y < tile.ysize) out = row();
    return true;
  }
  Step operator()(const uint8_t* buf, size_t bytes_in) {
    const uint8_t* ptr = buf;
    long bytes = long(bytes_in);
    if (state == 0) {
      if (bits < 0 || bits > 12) return {-1, -8};
      clear = 1 << bits, end = clear + 1;
      if (interlace) interlace = 1, step = repeat = 8;
      else step = 1;
      state = 1;
    }
    uint8_t* out = row() + x;
    for (;;) {
      const uint8_t* p;
      int i;
      if (state == 1) {
        next = clear + 2, codesize = bits + 1, codemask = (1 << codesize) - 1, bufferindex = kBuffer;
        state = 2;
      }
      if (bufferindex < kBuffer) {
        i = kBuffer - bufferindex;
        p = &buffer[bufferindex];
        bufferindex = kBuffer;
      } else {
        while (bitcount < codesize) {
          if (blocksize > 0) {
            const int c = *ptr++;
            --bytes, --blocksize;
            bitbuffer |= int32_t(c) << bitcount;
            bitcount += 8;
          } else {
            if (bytes < 1) return {long(ptr - buf)};
            const int c = *ptr;
            if (bytes < c + 1) return {long(ptr - buf)};  // only whole sub-blocks are decoded
            blocksize = c;
            ++ptr, --bytes;
          }
        }
        int c = bitbuffer & codemask;
        bitbuffer = int32_t(uint32_t(bitbuffer) >> codesize);
        bitcount -= codesize;
        if (c == clear) {
          if (state != 2) state = 1;
          continue;
        }
        if (c == end) break;
        i = 1;
        p = &lastdata;
        if (state == 2) {
          if (c > clear) return {-1, -2};
          lastdata = uint8_t(lastcode = c);
          state = 3;
        } else {
          const int thiscode = c;
          if (c > next) return {-1, -2};
          if (c == next) {
            if (bufferindex <= 0) return {-1, -2};
            buffer[--bufferindex] = lastdata;
            c = lastcode;
          }
          while (c >= clear) {
            if (bufferindex <= 0 || c >= kTable) return {-1, -2};
            buffer[--bufferindex] = data[c];
            c = link[c];
          }
          lastdata = uint8_t(c);
          if (next < kTable) {
            data[next] = uint8_t(c);
            link[next] = uint16_t(lastcode);
            if (next == codemask && codesize < kBits) ++codesize, codemask = (1 << codesize) - 1;
            ++next;
          }
          lastcode = thiscode;
        }
      }
      if (y >= tile.ysize) return {-1, -1};  // IMAGING_CODEC_OVERRUN
      for (int k = 0; k < i; ++k) {
        *out++ = p[k];
        if (++x >= tile.xsize && !newline(out)) return {-1};
      }
    }
    return {long(ptr - buf)};
  }
};

/// GifImageFile._open + _seek(0) + load of frame 0 (GifImagePlugin.py:60-430, LOADING_STRATEGY RGB_AFTER_FIRST).
inline PilImage gif(const File& file) {
  File f = file;
  const auto [s, k] = f.read(13);
  if (k < 6 || (std::memcmp(s, "GIF87a", 6) != 0 && std::memcmp(s, "GIF89a", 6) != 0)) throw unidentified("not a GIF file");
  if (k < 13) throw unidentified("struct.error in the GIF screen descriptor");
  int64_t width = le16(s + 6), height = le16(s + 8);
  const int flags = s[10];
  // The palette only counts when it is not the identity grey ramp (_is_palette_needed).
  auto palette_needed = [](const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; i += 3) {
      if (i + 2 >= n) throw unidentified("IndexError in a short GIF palette");
      if (!(int(i / 3) == p[i] && p[i] == p[i + 1] && p[i + 1] == p[i + 2])) return true;
    }
    return false;
  };
  std::optional<std::vector<uint8_t>> global;
  if (flags & 128) {
    const auto [p, n] = f.read(size_t(3) << ((flags & 7) + 1));
    if (palette_needed(p, n)) global.emplace(p, p + n);
  }
  auto sub_block = [&]() -> std::optional<std::pair<const uint8_t*, size_t>> {  // GifImageFile.data()
    const int len = f.byte();
    if (len <= 0) return std::nullopt;
    return f.read(size_t(len));
  };
  std::optional<int> transparency;
  int s0 = f.byte();
  if (s0 < 0 || s0 == ';') throw unidentified("EOFError: no image in the GIF");
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0, lzw_bits = 0;
  bool found = false, interlace = false;
  std::optional<std::optional<std::vector<uint8_t>>> local;  // set: the frame has a palette flag (nullopt: grey)
  size_t data_at = 0;
  for (int c = s0;;) {
    if (c == -2) c = f.byte();
    if (c < 0 || c == ';') break;
    if (c == '!') {
      const int label = f.byte();
      if (label < 0) throw unidentified("IndexError after an extension introducer");
      auto block = sub_block();
      if (label == 249) {
        if (!block) throw unidentified("TypeError: empty graphic control extension");
        if (block->second < 1) throw unidentified("IndexError in the graphic control extension");
        const int gflags = block->first[0];
        if (gflags & 1) {
          if (block->second < 4) throw unidentified("IndexError in the graphic control extension");
          transparency = block->first[3];
        }
        if (block->second < 3) throw unidentified("struct.error in the graphic control extension");
      } else if (label == 254) {
        while (block) block = sub_block();
        c = -2;
        continue;
      } else if (label == 255) {
        if (!block) throw unidentified("TypeError: empty application extension");
        if (block->second >= 11 && std::memcmp(block->first, "NETSCAPE2.0", 11) == 0) {
          auto b2 = sub_block();
          if (!b2) throw unidentified("TypeError: empty NETSCAPE block");
        }
      }
      while (sub_block()) {
      }
    } else if (c == ',') {
      const auto [d, n] = f.read(9);
      if (n < 9) throw unidentified("struct.error in the image descriptor");
      x0 = int(le16(d)), y0 = int(le16(d + 2));
      x1 = x0 + int(le16(d + 4)), y1 = y0 + int(le16(d + 6));
      if (x1 > width || y1 > height) {
        width = std::max<int64_t>(x1, width), height = std::max<int64_t>(y1, height);
        bomb_check(width, height);
      }
      interlace = (d[8] & 64) != 0;
      if (d[8] & 128) {
        const auto [p, pn] = f.read(size_t(3) << ((d[8] & 7) + 1));
        if (palette_needed(p, pn)) local.emplace(std::vector<uint8_t>(p, p + pn));
        else local.emplace(std::nullopt);
      }
      const int b = f.byte();
      if (b < 0) throw unidentified("IndexError reading the LZW code size");
      lzw_bits = b;
      data_at = f.pos;
      found = true;
      break;
    }
    c = -2;
  }
  if (!found) throw unidentified("EOFError: no image in the GIF");
  const std::optional<std::vector<uint8_t>> palette = local ? *local : global;
  const std::string mode = palette ? "P" : "L";
  if (width <= 0 || height <= 0) throw unidentified("not identified by this driver");
  bomb_check(width, height);
  PilImage im = PilImage::blank(mode, int(width), int(height));
  if (transparency) std::fill(im.px.begin(), im.px.end(), uint8_t(*transparency));  // load_prepare's fill
  if (palette) im.put_palette(palette->data(), palette->size(), 3, false);
  if (transparency) im.transparency = {Transparency::kInt, *transparency, {}, {}};
  auto decoder = std::make_unique<GifDecoder>(GifDecoder{im, tile_of(im, x0, y0, x1, y1), lzw_bits, interlace ? 1 : 0});
  File r = file;
  r.pos = data_at;
  image_file_load([&](size_t n) { return r.read(n); }, [&](const uint8_t* p, size_t n) { return (*decoder)(p, n); });
  return im;
}

// ------------------------------------------------------------------------------------------- PNG
/// ZipDecode.c for PNG (filters, Adam7 as Pillow walks it), inflating with zlib exactly as it calls inflate:
/// one row (+ filter byte) of output space per call, the input as ImageFile.load hands it over.
struct ZipDecoder {
  static constexpr int kOffset[7] = {7, 3, 3, 1, 1, 0, 0}, kStartCol[7] = {0, 4, 0, 2, 0, 1, 0},
                       kStartRow[7] = {0, 0, 4, 0, 2, 0, 1}, kColInc[7] = {8, 8, 4, 4, 2, 2, 1},
                       kRowInc[7] = {8, 8, 8, 4, 4, 2, 2};
  PilImage& im;
  Unpacker unpack;
  bool interlaced;
  int state = 0, y = 0, pass = 0;
  int64_t bytes = 0, last_output = 0;
  std::vector<uint8_t> buffer, previous;
  z_stream z{};
  bool z_open = false;
  ~ZipDecoder() {
    if (z_open) inflateEnd(&z);
  }
  int64_t row_len(int p) const {
    const int64_t n = (int64_t(im.width) + kOffset[p]) / kColInc[p];
    return (n * unpack.bits + 7) / 8;
  }
  Step fail(int code) {
    if (z_open) inflateEnd(&z), z_open = false;
    return {-1, code};
  }
  Step operator()(const uint8_t* buf, size_t n) {
    if (state == 0) {
      bytes = (int64_t(im.width) * unpack.bits + 7) / 8;
      buffer.assign(size_t(bytes) + 1, 0);
      previous.assign(size_t(bytes) + 1, 0);
      if (inflateInit(&z) != Z_OK) return {-1, -8};
      z_open = true;
      if (interlaced) pass = 0, y = kStartRow[0];
      state = 1;
    }
    int64_t len = interlaced ? row_len(pass) : bytes;
    z.next_in = const_cast<Bytef*>(buf);
    z.avail_in = uInt(n);
    while (z.avail_in > 0) {
      z.next_out = buffer.data() + last_output;
      z.avail_out = uInt(len + 1 - last_output);
      const int err = inflate(&z, Z_NO_FLUSH);
      if (err < 0) return fail(err == Z_DATA_ERROR ? -2 : err == Z_MEM_ERROR ? -9 : -8);
      const int64_t got = len + 1 - z.avail_out;
      if (got < len + 1) {
        last_output = got;
        break;
      }
      const int bpp = (unpack.bits + 7) / 8;
      uint8_t* b = buffer.data();
      const uint8_t* prev = previous.data();
      switch (b[0]) {
        case 0: break;
        case 1:
          for (int64_t i = bpp + 1; i <= len; ++i) b[i] += b[i - bpp];
          break;
        case 2:
          for (int64_t i = 1; i <= len; ++i) b[i] += prev[i];
          break;
        case 3: {
          int64_t i = 1;
          for (; i <= bpp; ++i) b[i] += prev[i] / 2;
          for (; i <= len; ++i) b[i] += uint8_t((b[i - bpp] + prev[i]) / 2);
          break;
        }
        case 4: {
          int64_t i = 1;
          for (; i <= bpp; ++i) b[i] += prev[i];
          for (; i <= len; ++i) {
            const int a = b[i - bpp], up = prev[i], c = prev[i - bpp];
            const int pa = std::abs(up - c), pb = std::abs(a - c), pc = std::abs(a + up - 2 * c);
            b[i] += uint8_t((pa <= pb && pa <= pc) ? a : (pb <= pc) ? up : c);
          }
          break;
        }
        default: return fail(-3);  // IMAGING_CODEC_UNKNOWN
      }
      if (interlaced) {
        int col = kStartCol[pass];
        if (unpack.bits >= 8) {
          for (int64_t i = 0; i < len; i += (unpack.bits + 7) / 8, col += kColInc[pass])
            unpack.unpack(b + 1 + i, im, size_t(y) * im.width + col, 1);
        } else {
          const int64_t row_bits = ((int64_t(im.width) + kOffset[pass]) / kColInc[pass]) * unpack.bits;
          for (int64_t i = 0; i < row_bits; i += unpack.bits, col += kColInc[pass]) {
            const uint8_t byte = uint8_t(b[1 + i / 8] << (i % 8));
            unpack.unpack(&byte, im, size_t(y) * im.width + col, 1);
          }
        }
        y += kRowInc[pass];
        while (y >= im.height || len <= 0) {
          if (++pass == 7) {
            y = im.height;
            break;
          }
          y = kStartRow[pass];
          len = row_len(pass);
          std::fill(buffer.begin(), buffer.end(), 0);
        }
      } else {
        unpack.unpack(b + 1, im, size_t(y) * im.width, im.width);
        ++y;
      }
      last_output = 0;
      if (y >= im.height || err == Z_STREAM_END) {  // a stream ending early leaves the rest black, no error
        inflateEnd(&z), z_open = false;
        return {-1};
      }
      std::swap(buffer, previous);
    }
    return {long(n)};
  }
};

/// PngImageFile._open / load_read / load_end (PngImagePlugin.py:427-500, 728-990) with the zip decoder.
inline PilImage png(const File& file) {
  File f = file;
  static const uint8_t magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  const auto [sig, sn] = f.read(8);
  if (sn < 8 || std::memcmp(sig, magic, 8) != 0) throw unidentified("not a PNG file");
  auto is_cid = [](const uint8_t* c) {
    for (int i = 0; i < 4; ++i)
      if (!(std::isalnum(c[i]) || c[i] == '_')) return false;
    return true;
  };
  struct Chunk {
    std::string cid;
    size_t pos;
    uint32_t length;
  };
  auto read_chunk = [&](File& g) -> Chunk {  // ChunkStream.read: struct.error / SyntaxError
    const auto [h, hn] = g.read(8);
    if (hn < 4) throw unidentified("struct.error reading a chunk");
    if (hn < 8 || !is_cid(h + 4)) throw unidentified("broken PNG file (bad chunk type)");
    return {std::string(reinterpret_cast<const char*>(h + 4), 4), g.pos, be32(h)};
  };
  int64_t width = 0, height = 0;
  std::string mode, rawmode;
  bool interlace = false, have_idat = false;
  std::optional<std::vector<uint8_t>> plte;
  Transparency trns;
  size_t idat_pos = 0;
  uint32_t idat_len = 0;
  for (;;) {
    const Chunk c = read_chunk(f);
    if (c.cid == "IDAT") {
      have_idat = true;
      idat_pos = c.pos, idat_len = c.length;
      break;
    }
    if (c.cid == "IEND") break;
    const auto [body, len] = f.safe_read(c.length);
    if (c.cid == "IHDR") {
      if (len < 13) throw PilRefusal("ValueError", "truncated IHDR chunk");
      width = be32(body), height = be32(body + 4);
      static const std::map<std::pair<int, int>, std::pair<std::string, std::string>> modes{
          {{1, 0}, {"1", "1"}},         {{2, 0}, {"L", "L;2"}},     {{4, 0}, {"L", "L;4"}},
          {{8, 0}, {"L", "L"}},         {{16, 0}, {"I", "I;16B"}},  {{8, 2}, {"RGB", "RGB"}},
          {{16, 2}, {"RGB", "RGB;16B"}}, {{1, 3}, {"P", "P;1"}},     {{2, 3}, {"P", "P;2"}},
          {{4, 3}, {"P", "P;4"}},       {{8, 3}, {"P", "P"}},       {{8, 4}, {"LA", "LA"}},
          {{16, 4}, {"RGBA", "LA;16B"}}, {{8, 6}, {"RGBA", "RGBA"}}, {{16, 6}, {"RGBA", "RGBA;16B"}}};
      if (const auto it = modes.find({body[8], body[9]}); it != modes.end()) mode = it->second.first, rawmode = it->second.second;
      interlace = body[12] != 0;
      if (body[11]) throw unidentified("unknown filter category");
    } else if (c.cid == "PLTE") {
      if (mode == "P") plte.emplace(body, body + len);
    } else if (c.cid == "tRNS") {
      if (mode == "P") {
        // _simple_palette: only FF bytes around a single 00 -> that index; else one alpha per entry
        size_t zeros = 0, at = 0;
        bool simple = true;
        for (size_t i = 0; i < len; ++i) {
          if (body[i] == 0) ++zeros, at = i;
          else if (body[i] != 0xFF) simple = false;
        }
        if (simple && zeros == 1) trns = {Transparency::kInt, int(at), {}, {}};
        else if (!(simple && zeros == 1)) trns = {Transparency::kBytes, 0, {}, std::vector<uint8_t>(body, body + len)};
      } else if (mode == "1" || mode == "L" || mode == "I") {
        if (len < 2) throw unidentified("struct.error in tRNS");
        trns = {Transparency::kInt, int(be16(body)), {}, {}};
      } else if (mode == "RGB") {
        if (len < 6) throw unidentified("struct.error in tRNS");
        trns = {Transparency::kTuple, 0, {int(be16(body)), int(be16(body + 2)), int(be16(body + 4))}, {}};
      }
    } else if (c.cid == "pHYs") {
      if (len < 9) throw unidentified("struct.error in pHYs");
    } else if (c.cid == "gAMA") {
      if (len < 4) throw unidentified("struct.error in gAMA");
    } else if (c.cid == "sRGB") {
      if (len < 1) throw PilRefusal("ValueError", "truncated sRGB chunk");
    } else if (c.cid == "acTL" || c.cid == "fcTL" || c.cid == "fdAT" || c.cid == "iCCP" || c.cid == "zTXt" ||
               c.cid == "iTXt" || c.cid == "eXIf" || c.cid == "cHRM") {
      // Their contents are parsed by PIL (APNG control, zlib-compressed text and profiles); the prototype
      // does not reproduce those checks (docs/dev/decoding_research.md).
    }
    // ChunkStream.crc: every chunk before the first IDAT is checked.
    if (f.left() < 4) throw unidentified("broken PNG file (incomplete checksum)");
    const uint32_t stored = be32(f.read(4).first);
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(c.cid.data()), 4);
    crc = crc32(crc, body, uInt(len));
    if (crc != stored) throw unidentified("broken PNG file (bad header checksum in " + c.cid + ")");
  }
  if (mode.empty() || width <= 0 || height <= 0) throw unidentified("not identified by this driver");
  if (width > INT32_MAX || height > INT32_MAX) throw PilRefusal("OverflowError", "size does not fit a C int");
  bomb_check(width, height);
  if (!have_idat) throw PilRefusal("OSError", "cannot load this image");
  PilImage im = PilImage::blank(mode, int(width), int(height));
  if (plte) im.put_palette(plte->data(), plte->size(), 3, false);
  im.transparency = trns;
  // load: IDAT data through load_read, which moves from chunk to chunk and answers b"" at a non-IDAT chunk.
  File r = file;
  r.pos = idat_pos;
  int64_t idat_left = idat_len;
  auto load_read = [&](size_t want) -> std::pair<const uint8_t*, size_t> {
    while (idat_left == 0) {
      r.read(4);  // CRC, not checked
      const auto [h, hn] = r.read(8);
      if (hn < 4) throw truncated();                 // struct.error -> "image file is truncated"
      if (hn < 8 || !is_cid(h + 4)) throw broken("SyntaxError: bad chunk type among the image data");
      const std::string cid(reinterpret_cast<const char*>(h + 4), 4);
      if (cid != "IDAT" && cid != "DDAT" && cid != "fdAT") {
        r.pos -= 8;
        return {nullptr, 0};
      }
      idat_left = be32(h);
      if (cid == "fdAT") r.read(4), idat_left -= 4;
    }
    const size_t k = size_t(std::min<int64_t>(int64_t(want), idat_left));
    idat_left -= int64_t(k);
    return r.read(k);
  };
  auto decoder = std::make_unique<ZipDecoder>(ZipDecoder{im, find_unpacker(mode, rawmode), interlace, 0, 0, 0, 0, 0, {}, {}, {}, false});
  image_file_load(load_read, [&](const uint8_t* p, size_t n) { return (*decoder)(p, n); });
  // load_end: the chunks after the image data must have whole bodies (ImageFile._safe_read).
  if (idat_left > 0) r.read(size_t(idat_left));
  for (;;) {
    r.read(4);
    const auto [h, hn] = r.read(8);
    if (hn < 8 || !is_cid(h + 4)) break;
    const std::string cid(reinterpret_cast<const char*>(h + 4), 4);
    if (cid == "IEND" || cid == "fcTL") break;  // fcTL: the next APNG frame starts
    r.safe_read(be32(h));
  }
  return im;
}

// ------------------------------------------------------------------------------------------- Image.open
/// Image.open's plugin order for the formats Keras meets (PIL.Image.preinit: Bmp (BMP, DIB), Gif, Jpeg, Ppm,
/// Png): the first plugin whose _accept matches and whose _open succeeds wins; an UnidentifiedImageError-kind
/// failure tries the next one. (After preinit's plugins fail PIL also tries every other plugin, TGA/TIFF/WebP
/// and 30 more: not reproduced here, those files are refused.)
inline PilImage open_like_pil(const uint8_t* data, size_t size, const jpeg::DecodeOptions& jpeg_options = {}) {
  const File file{data, size};
  std::vector<std::function<PilImage()>> tries;
  if (size >= 2 && data[0] == 'B' && data[1] == 'M')
    tries.push_back([&] {
      if (size < 14) throw unidentified("struct.error in the BMP file header");
      return bmp(file, 14, le32(data + 10));
    });
  if (size >= 4) {
    const uint32_t h = le32(data);
    if (h == 12 || h == 40 || h == 64 || h == 108 || h == 124) tries.push_back([&] { return bmp(file, 0, 0); });
  }
  if (size >= 6 && (std::memcmp(data, "GIF87a", 6) == 0 || std::memcmp(data, "GIF89a", 6) == 0))
    tries.push_back([&] { return gif(file); });
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    tries.push_back([&] { return jpeg::decode(data, size, jpeg_options); });
  if (size >= 2 && data[0] == 'P' && std::strchr("0123456y", data[1]) && data[1]) tries.push_back([&] { return ppm(file); });
  if (size >= 8 && std::memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) tries.push_back([&] { return png(file); });
  for (auto& t : tries) {
    try {
      return t();
    } catch (const PilRefusal& e) {
      if (e.kind != "UnidentifiedImageError") throw;
    }
  }
  throw unidentified("no plugin identifies it");
}

}  // namespace proto::formats
