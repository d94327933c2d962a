#pragma once
#include <tl/preprocessing/image/detail/png_decoder.hpp>

#include <tl/preprocessing/image/detail/pil_codec.hpp>

#include <algorithm>
#include <array>
#include <climits>
#include <new>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <zlib.h>

namespace tl::preprocessing::image::detail {

namespace png {

constexpr int64_t kSafeBlock = 1024 * 1024;          // ImageFile.SAFEBLOCK = PngImagePlugin.MAX_TEXT_CHUNK
constexpr int64_t kMaxTextMemory = 64 * kSafeBlock;  // MAX_TEXT_MEMORY

/// re.match(rb"\w\w\w\w", cid): ASCII letters, digits and underscore.
inline bool is_cid(const uint8_t* c) {
  for (int i = 0; i < 4; ++i) {
    const uint8_t ch = c[i];
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_')) return false;
  }
  return true;
}

/// A chunk header as ChunkStream.read returns it.
struct Chunk {
  char cid[5] = {};
  size_t pos = 0;  // the body's offset
  uint32_t length = 0;
  bool is(const char* name) const { return std::memcmp(cid, name, 4) == 0; }
};

/// _safe_zlib_decompress: ValueError ("Decompressed Data Too Large") when more than 1 MiB would come out of input
/// that is not all consumed; zlib.error for a corrupt stream (the callers ignore that). Returns the output length,
/// or -1 for zlib.error.
inline int64_t safe_zlib_decompress(const uint8_t* data, size_t size) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) throw std::bad_alloc();
  std::vector<uint8_t> out(static_cast<size_t>(kSafeBlock));
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  int err = Z_OK;
  while (z.avail_in > 0 && z.avail_out > 0) {
    err = inflate(&z, Z_SYNC_FLUSH);
    if (err == Z_STREAM_END || err == Z_BUF_ERROR) break;
    if (err != Z_OK) break;
  }
  const int64_t produced = static_cast<int64_t>(out.size() - z.avail_out);
  const bool tail = err != Z_STREAM_END && z.avail_out == 0 && z.avail_in > 0;
  inflateEnd(&z);
  if (err != Z_OK && err != Z_STREAM_END && err != Z_BUF_ERROR) return -1;
  if (tail) refuse(DecodeFailure::unsupported, "Decompressed Data Too Large");
  return produced;
}

/// Python's strict UTF-8 decoding: the number of code points, or -1 (UnicodeError).
inline int64_t utf8_length(const uint8_t* s, size_t n) {
  int64_t count = 0;
  for (size_t i = 0; i < n; ++count) {
    const uint8_t c = s[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) len = 1, cp = c;
    else if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return -1;
    if (i + len > n) return -1;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return -1;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += len;
  }
  return count;
}

/// PngStream: the chunk handlers of PngImagePlugin.py and the state they keep.
struct Stream {
  ByteCursor f;
  int64_t width = 0, height = 0;
  bool have_mode = false;
  PilMode mode = PilMode::L;
  RawMode raw = RawMode::l8;
  bool interlace = false;
  std::optional<std::vector<uint8_t>> palette;
  Transparency transparency;
  int64_t text_memory = 0;
  std::optional<uint32_t> n_frames;   // acTL
  std::optional<uint32_t> seq_num;    // fcTL/fdAT sequence
  bool default_image = false;
  std::optional<std::array<int64_t, 4>> bbox;  // fcTL before the image data

  /// ChunkStream.read: struct.error (fewer than 4 header bytes) -> `short_read`, SyntaxError (bad type) ->
  /// `bad_type`; both as the caller's context decides.
  enum class Read { ok, short_read, bad_type };
  Read read(Chunk& c) {
    const auto [h, n] = f.read(8);
    if (n < 4) return Read::short_read;
    c.length = be32(h);
    c.pos = f.pos;
    if (n < 8 || !is_cid(h + 4)) return Read::bad_type;
    std::memcpy(c.cid, h + 4, 4);
    return Read::ok;
  }

  void check_text_memory(int64_t chunk_length) {
    text_memory += chunk_length;
    if (text_memory > kMaxTextMemory)
      refuse(DecodeFailure::unsupported, "Too much memory used in text chunks: " + std::to_string(text_memory) + ">MAX_TEXT_MEMORY");
  }

  /// What a handler did: `handled` (body read: `body`/`length`), `eof` (IDAT, IEND, fdAT: EOFError, nothing or
  /// only fdAT's sequence number read) or `unknown` (AttributeError: the caller reads the body).
  enum class Call { handled, eof, unknown };
  Call call(const Chunk& c, std::pair<const uint8_t*, size_t>& body);

  void chunk_fcTL(const uint8_t* s, size_t length);
};

inline Stream::Call Stream::call(const Chunk& c, std::pair<const uint8_t*, size_t>& body) {
  const auto unidentified = DecodeFailure::unidentified;  // SyntaxError, struct.error and IndexError in Image.open
  if (c.is("IDAT") || c.is("IEND")) return Call::eof;
  if (c.is("fdAT")) {
    if (c.length < 4) refuse(DecodeFailure::unsupported, "APNG contains truncated fDAT chunk");
    const uint32_t seq = be32(f.safe_read(4));
    if (!seq_num || int64_t{*seq_num} != int64_t{seq} - 1) refuse(unidentified, "APNG contains frame sequence errors");
    seq_num = seq;
    return Call::eof;
  }
  static const char* const known[] = {"iCCP", "IHDR", "PLTE", "tRNS", "gAMA", "cHRM", "sRGB", "pHYs",
                                      "tEXt", "zTXt", "iTXt", "eXIf", "acTL", "fcTL"};
  bool is_known = false;
  for (const char* k : known) is_known = is_known || c.is(k);
  if (!is_known) return Call::unknown;
  const uint8_t* s = f.safe_read(c.length);
  const size_t n = c.length;
  body = {s, n};
  if (c.is("IHDR")) {
    if (n < 13) refuse(DecodeFailure::unsupported, "Truncated IHDR chunk");
    width = be32(s), height = be32(s + 4);
    struct Entry { int bits, color; PilMode mode; RawMode raw; };
    static const Entry modes[] = {
        {1, 0, PilMode::bilevel, RawMode::bit1}, {2, 0, PilMode::L, RawMode::l2},      {4, 0, PilMode::L, RawMode::l4},
        {8, 0, PilMode::L, RawMode::l8},         {16, 0, PilMode::I, RawMode::i16b},   {8, 2, PilMode::RGB, RawMode::rgb},
        {16, 2, PilMode::RGB, RawMode::rgb16b},  {1, 3, PilMode::P, RawMode::p1},      {2, 3, PilMode::P, RawMode::p2},
        {4, 3, PilMode::P, RawMode::p4},         {8, 3, PilMode::P, RawMode::p8},      {8, 4, PilMode::LA, RawMode::la},
        {16, 4, PilMode::RGBA, RawMode::la16b},  {8, 6, PilMode::RGBA, RawMode::rgba}, {16, 6, PilMode::RGBA, RawMode::rgba16b}};
    for (const auto& e : modes)
      if (e.bits == s[8] && e.color == s[9]) have_mode = true, mode = e.mode, raw = e.raw;
    if (s[12]) interlace = true;
    if (s[11]) refuse(unidentified, "unknown filter category");
  } else if (c.is("PLTE")) {
    if (have_mode && mode == PilMode::P) palette.emplace(s, s + n);
  } else if (c.is("tRNS")) {
    if (have_mode && mode == PilMode::P) {
      // _simple_palette, re.match(b"^\xff*\x00\xff*$"): `$` also matches before a final newline.
      const auto simple = [&](size_t len) {
        size_t zeros = 0;
        for (size_t i = 0; i < len; ++i) {
          if (s[i] == 0) ++zeros;
          else if (s[i] != 0xFF) return false;
        }
        return zeros == 1;
      };
      if (simple(n) || (n > 0 && s[n - 1] == '\n' && simple(n - 1))) {
        transparency = {Transparency::value, static_cast<int>(std::find(s, s + n, uint8_t{0}) - s), {}, {}};
      } else {
        transparency = {Transparency::alphas, 0, {}, std::vector<uint8_t>(s, s + n)};
      }
    } else if (have_mode && (mode == PilMode::bilevel || mode == PilMode::L || mode == PilMode::I)) {
      if (n < 2) refuse(unidentified, "struct.error in tRNS");
      transparency = {Transparency::value, static_cast<int>(be16(s)), {}, {}};
    } else if (have_mode && mode == PilMode::RGB) {
      if (n < 6) refuse(unidentified, "struct.error in tRNS");
      transparency = {Transparency::rgb, 0, {int(be16(s)), int(be16(s + 2)), int(be16(s + 4))}, {}};
    }
  } else if (c.is("gAMA")) {
    if (n < 4) refuse(unidentified, "struct.error in gAMA");
  } else if (c.is("cHRM")) {
    if (n % 4 != 0) refuse(unidentified, "struct.error in cHRM");
  } else if (c.is("sRGB")) {
    if (n < 1) refuse(DecodeFailure::unsupported, "Truncated sRGB chunk");
  } else if (c.is("pHYs")) {
    if (n < 9) refuse(DecodeFailure::unsupported, "Truncated pHYs chunk");
  } else if (c.is("tEXt")) {
    const uint8_t* zero = std::find(s, s + n, uint8_t{0});
    const size_t k = static_cast<size_t>(zero - s);
    if (k > 0) check_text_memory(k < n ? static_cast<int64_t>(n - k - 1) : 0);
  } else if (c.is("zTXt")) {
    const uint8_t* zero = std::find(s, s + n, uint8_t{0});
    const size_t k = static_cast<size_t>(zero - s);
    const uint8_t* v = k < n ? zero + 1 : s + n;
    const size_t v_len = static_cast<size_t>(s + n - v);
    const int method = v_len ? v[0] : 0;
    if (method != 0) refuse(unidentified, "Unknown compression method " + std::to_string(method) + " in zTXt chunk");
    int64_t text = safe_zlib_decompress(v_len ? v + 1 : v, v_len ? v_len - 1 : 0);
    if (text < 0) text = 0;  // zlib.error: empty text
    if (k > 0) check_text_memory(text);
  } else if (c.is("iTXt")) {
    const uint8_t* zero = std::find(s, s + n, uint8_t{0});
    if (zero == s + n) return Call::handled;
    const uint8_t* r = zero + 1;
    size_t r_len = static_cast<size_t>(s + n - r);
    if (r_len < 2) return Call::handled;
    const int cf = r[0], cm = r[1];
    r += 2, r_len -= 2;
    const uint8_t* z1 = std::find(r, r + r_len, uint8_t{0});
    if (z1 == r + r_len) return Call::handled;
    const uint8_t* z2 = std::find(z1 + 1, r + r_len, uint8_t{0});
    if (z2 == r + r_len) return Call::handled;
    const uint8_t* v = z2 + 1;
    const size_t v_len = static_cast<size_t>(r + r_len - v);
    std::vector<uint8_t> text(v, v + v_len);
    if (cf != 0) {
      if (cm != 0) return Call::handled;
      // The decompressed text is needed for its UTF-8 length: decompress again into a buffer.
      if (safe_zlib_decompress(v, v_len) < 0) return Call::handled;
      z_stream z{};
      if (inflateInit(&z) != Z_OK) throw std::bad_alloc();
      text.assign(static_cast<size_t>(kSafeBlock), 0);
      z.next_in = const_cast<Bytef*>(v);
      z.avail_in = static_cast<uInt>(v_len);
      z.next_out = text.data();
      z.avail_out = static_cast<uInt>(text.size());
      while (z.avail_in > 0 && z.avail_out > 0) {
        const int err = inflate(&z, Z_SYNC_FLUSH);
        if (err != Z_OK) break;
      }
      text.resize(text.size() - z.avail_out);
      inflateEnd(&z);
    }
    if (utf8_length(r, static_cast<size_t>(z1 - r)) < 0 || utf8_length(z1 + 1, static_cast<size_t>(z2 - z1 - 1)) < 0)
      return Call::handled;
    const int64_t chars = utf8_length(text.data(), text.size());
    if (chars < 0) return Call::handled;
    check_text_memory(chars);
  } else if (c.is("acTL")) {
    if (n < 8) refuse(DecodeFailure::unsupported, "APNG contains truncated acTL chunk");
    if (n_frames) {
      n_frames.reset();
    } else {
      const uint32_t frames = be32(s);
      if (frames != 0 && frames <= 0x80000000u) n_frames = frames;
    }
  } else if (c.is("fcTL")) {
    chunk_fcTL(s, n);
  }
  return Call::handled;
}

inline void Stream::chunk_fcTL(const uint8_t* s, size_t n) {
  if (n < 26) refuse(DecodeFailure::unsupported, "APNG contains truncated fcTL chunk");
  const uint32_t seq = be32(s);
  if ((!seq_num && seq != 0) || (seq_num && int64_t{*seq_num} != int64_t{seq} - 1))
    refuse(DecodeFailure::unidentified, "APNG contains frame sequence errors");
  seq_num = seq;
  const int64_t w = be32(s + 4), h = be32(s + 8), px = be32(s + 12), py = be32(s + 16);
  if (px + w > width || py + h > height) refuse(DecodeFailure::unidentified, "APNG contains invalid frames");
  bbox = std::array<int64_t, 4>{px, py, px + w, py + h};
}

/// ZipDecode.c for PNG (filters, Adam7 as Pillow walks it), inflating with zlib exactly as it calls inflate: one
/// row (+ filter byte) of output space per call, the input as ImageFile.load hands it over.
class ZipDecoder {
 public:
  ZipDecoder(DecodedImage& im, RawMode raw, Tile tile, bool interlaced) : im_(im), raw_(raw), tile_(tile), interlaced_(interlaced) {}
  ~ZipDecoder() {
    if (open_) inflateEnd(&z_);
  }
  ZipDecoder(const ZipDecoder&) = delete;
  ZipDecoder& operator=(const ZipDecoder&) = delete;

  DecodeStep operator()(const uint8_t* buf, size_t n) {
    static constexpr int kOffset[7] = {7, 3, 3, 1, 1, 0, 0}, kStartCol[7] = {0, 4, 0, 2, 0, 1, 0},
                         kStartRow[7] = {0, 0, 4, 0, 2, 0, 1}, kColInc[7] = {8, 8, 4, 4, 2, 2, 1},
                         kRowInc[7] = {8, 8, 8, 4, 4, 2, 2};
    const int bits = raw_bits(raw_);
    const auto row_len = [&](int p) {
      const int64_t count = (int64_t{tile_.xsize} + kOffset[p]) / kColInc[p];
      return (count * bits + 7) / 8;
    };
    if (state_ == 0) {
      bytes_ = (int64_t{tile_.xsize} * bits + 7) / 8;
      buffer_.assign(static_cast<size_t>(bytes_) + 1, 0);
      previous_.assign(static_cast<size_t>(bytes_) + 1, 0);
      if (inflateInit(&z_) != Z_OK) return {-1, -9};
      open_ = true;
      if (interlaced_) pass_ = 0, y_ = kStartRow[0];
      state_ = 1;
    }
    int64_t len = interlaced_ ? row_len(pass_) : bytes_;
    z_.next_in = const_cast<Bytef*>(buf);
    z_.avail_in = static_cast<uInt>(n);
    const int bpp = (bits + 7) / 8;
    while (z_.avail_in > 0) {
      z_.next_out = buffer_.data() + last_output_;
      z_.avail_out = static_cast<uInt>(len + 1 - last_output_);
      const int err = inflate(&z_, Z_NO_FLUSH);
      if (err < 0) return fail(err == Z_DATA_ERROR ? -2 : err == Z_MEM_ERROR ? -9 : -8);
      const int64_t got = len + 1 - z_.avail_out;
      if (got < len + 1) {
        last_output_ = got;
        break;
      }
      uint8_t* b = buffer_.data();
      const uint8_t* prev = previous_.data();
      switch (b[0]) {
        case 0: break;
        case 1:
          for (int64_t i = bpp + 1; i <= len; ++i) b[i] = static_cast<uint8_t>(b[i] + b[i - bpp]);
          break;
        case 2:
          for (int64_t i = 1; i <= len; ++i) b[i] = static_cast<uint8_t>(b[i] + prev[i]);
          break;
        case 3: {
          int64_t i = 1;
          for (; i <= bpp && i <= len; ++i) b[i] = static_cast<uint8_t>(b[i] + prev[i] / 2);
          for (; i <= len; ++i) b[i] = static_cast<uint8_t>(b[i] + (b[i - bpp] + prev[i]) / 2);
          break;
        }
        case 4: {
          int64_t i = 1;
          for (; i <= bpp && i <= len; ++i) b[i] = static_cast<uint8_t>(b[i] + prev[i]);
          for (; i <= len; ++i) {
            const int a = b[i - bpp], up = prev[i], c = prev[i - bpp];
            const int pa = std::abs(up - c), pb = std::abs(a - c), pc = std::abs(a + up - 2 * c);
            b[i] = static_cast<uint8_t>(b[i] + ((pa <= pb && pa <= pc) ? a : (pb <= pc) ? up : c));
          }
          break;
        }
        default: return fail(-3);  // IMAGING_CODEC_UNKNOWN
      }
      if (interlaced_) {
        int col = kStartCol[pass_];
        const size_t row0 = static_cast<size_t>(y_ + tile_.y0) * static_cast<size_t>(im_.width) + static_cast<size_t>(tile_.x0);
        if (bits >= 8) {
          for (int64_t i = 0; i < len; i += bpp, col += kColInc[pass_]) unpack_pixels(raw_, b + 1 + i, im_, row0 + static_cast<size_t>(col), 1);
        } else {
          const int64_t row_bits = ((int64_t{tile_.xsize} + kOffset[pass_]) / kColInc[pass_]) * bits;
          for (int64_t i = 0; i < row_bits; i += bits, col += kColInc[pass_]) {
            const uint8_t byte = static_cast<uint8_t>(b[1 + i / 8] << (i % 8));
            unpack_pixels(raw_, &byte, im_, row0 + static_cast<size_t>(col), 1);
          }
        }
        y_ += kRowInc[pass_];
        while (y_ >= tile_.ysize || len <= 0) {
          if (++pass_ == 7) {
            y_ = tile_.ysize;
            break;
          }
          y_ = kStartRow[pass_];
          len = row_len(pass_);
          std::fill(buffer_.begin(), buffer_.end(), 0);  // the previous row of a pass's first row, after the swap
        }
      } else {
        unpack_pixels(raw_, b + 1, im_, static_cast<size_t>(y_ + tile_.y0) * static_cast<size_t>(im_.width) + static_cast<size_t>(tile_.x0), tile_.xsize);
        ++y_;
      }
      last_output_ = 0;
      if (y_ >= tile_.ysize || err == Z_STREAM_END) {  // a stream ending early leaves the rest black, no error
        inflateEnd(&z_);
        open_ = false;
        return {-1};
      }
      std::swap(buffer_, previous_);
    }
    return {static_cast<long>(n)};
  }

 private:
  DecodeStep fail(int code) {
    if (open_) inflateEnd(&z_), open_ = false;
    return {-1, code};
  }

  DecodedImage& im_;
  RawMode raw_;
  Tile tile_;
  bool interlaced_;
  int state_ = 0, y_ = 0, pass_ = 0;
  int64_t bytes_ = 0, last_output_ = 0;
  std::vector<uint8_t> buffer_, previous_;
  z_stream z_{};
  bool open_ = false;
};

/// PngImageFile._open up to the first IDAT (or fdAT): the stream stopped there, with `chunk` the image data's.
inline Stream open(const uint8_t* data, size_t size, Chunk& chunk) {
  static const uint8_t magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Stream st;
  st.f = {data, size, 0};
  const auto [sig, sn] = st.f.read(8);
  if (sn < 8 || std::memcmp(sig, magic, 8) != 0) refuse(DecodeFailure::unidentified, "not a PNG file");
  for (;;) {
    const Stream::Read r = st.read(chunk);
    if (r == Stream::Read::short_read) refuse(DecodeFailure::unidentified, "a PNG chunk header is cut");
    if (r == Stream::Read::bad_type) refuse(DecodeFailure::unidentified, "broken PNG file (bad chunk type)");
    std::pair<const uint8_t*, size_t> body{nullptr, 0};
    const Stream::Call call = st.call(chunk, body);
    if (call == Stream::Call::eof) break;
    if (call == Stream::Call::unknown) body = {st.f.safe_read(chunk.length), chunk.length};
    // ChunkStream.crc: every chunk before the image data.
    if (st.f.left() < 4) refuse(DecodeFailure::unidentified, "broken PNG file (incomplete checksum)");
    const uint32_t stored = be32(st.f.read(4).first);
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(chunk.cid), 4);
    crc = crc32(crc, body.first, static_cast<uInt>(body.second));
    if (crc != stored) refuse(DecodeFailure::unidentified, std::string("broken PNG file (bad header checksum in ") + chunk.cid + ")");
  }
  if (!st.have_mode || st.width <= 0 || st.height <= 0) refuse(DecodeFailure::unidentified, "not identified by this driver");
  bomb_check(st.width, st.height);
  if (st.width > INT32_MAX || st.height > INT32_MAX) refuse(DecodeFailure::unsupported, "the image size does not fit a C int");
  return st;
}

}  // namespace png

TL_INLINE ImageInfo png_open(const uint8_t* data, size_t size) {
  png::Chunk chunk;
  const png::Stream st = png::open(data, size, chunk);
  return {static_cast<int>(st.width), static_cast<int>(st.height), mode_name(st.mode)};
}

TL_INLINE DecodedImage png_decode(const uint8_t* data, size_t size) {
  png::Chunk chunk;
  png::Stream st = png::open(data, size, chunk);
  const bool is_idat = chunk.is("IDAT");
  const bool have_image = is_idat || chunk.is("fdAT");
  if (!have_image) refuse(DecodeFailure::corrupt, "cannot load this image (no image data)");
  // The image's tile: the whole image, or an APNG frame's box when an fcTL came first.
  const bool animated = (st.n_frames ? *st.n_frames : 1) + (st.n_frames && !st.bbox ? 1 : 0) > 1;
  DecodedImage im = DecodedImage::blank(st.mode, static_cast<int>(st.width), static_cast<int>(st.height));
  if (st.palette) im.put_palette(st.palette->data(), st.palette->size(), 3, false);
  Tile tile{0, 0, im.width, im.height};
  if (st.bbox) {
    const auto& b = *st.bbox;
    tile = tile_of(im, static_cast<int>(b[0]), static_cast<int>(b[1]), static_cast<int>(b[2]), static_cast<int>(b[3]));
  }
  // load_read: IDAT data chunk by chunk; b"" at any other chunk (ImageFile.load then says "truncated").
  int64_t idat_left = is_idat ? int64_t{chunk.length} : int64_t{chunk.length} - 4;
  png::Chunk next;
  const auto load_read = [&](size_t want) -> std::pair<const uint8_t*, size_t> {
    while (idat_left == 0) {
      st.f.read(4);  // CRC, not checked
      const png::Stream::Read r = st.read(next);
      if (r == png::Stream::Read::short_read) refuse(DecodeFailure::truncated, "image file is truncated");
      if (r == png::Stream::Read::bad_type) refuse(DecodeFailure::corrupt, "broken PNG file (bad chunk type among the image data)");
      if (!next.is("IDAT") && !next.is("DDAT") && !next.is("fdAT")) return {nullptr, 0};  // -> "truncated"
      if (next.is("fdAT")) {
        std::pair<const uint8_t*, size_t> body;
        st.call(next, body);
        idat_left = int64_t{next.length} - 4;
      } else {
        idat_left = next.length;
      }
    }
    const size_t k = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(want), idat_left));
    idat_left -= static_cast<int64_t>(k);
    return st.f.read(k);
  };
  {
    png::ZipDecoder decoder(im, st.raw, tile, st.interlace);
    image_file_load(load_read, [&](const uint8_t* p, size_t n) { return decoder(p, n); });
  }
  // load_end: the chunks after the image go through their handlers (a tRNS there still sets the transparency)
  // and must have whole bodies.
  if (idat_left > 0) st.f.read(static_cast<size_t>(idat_left));
  for (;;) {
    png::Chunk c;
    st.f.read(4);  // CRC
    if (st.read(c) != png::Stream::Read::ok) break;
    if (c.is("IEND")) break;
    if (c.is("fcTL") && animated) break;  // the next frame starts
    std::pair<const uint8_t*, size_t> body;
    const png::Stream::Call call = st.call(c, body);
    if (call == png::Stream::Call::eof) st.f.safe_read(c.is("fdAT") ? int64_t{c.length} - 4 : int64_t{c.length});
    else if (call == png::Stream::Call::unknown) st.f.safe_read(c.length);
  }
  im.transparency = st.transparency;
  return im;
}

}  // namespace tl::preprocessing::image::detail
