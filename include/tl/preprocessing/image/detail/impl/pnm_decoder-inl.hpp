#pragma once
#include <tl/preprocessing/image/detail/pnm_decoder.hpp>

#include <tl/preprocessing/image/detail/pil_codec.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl::preprocessing::image::detail {

namespace pnm {

/// PIL's b_whitespace (and bytes.isspace()).
inline bool space(int c) { return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D; }

/// Python's int() of a token: an optional sign, digits, single underscores between digits; nothing otherwise.
/// Tokens are at most 10 characters, so the value fits.
inline std::optional<int64_t> python_int(const uint8_t* t, size_t n) {
  size_t i = 0;
  bool negative = false;
  if (i < n && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
  if (i == n) return std::nullopt;
  int64_t v = 0;
  bool digit_before = false;
  for (; i < n; ++i) {
    if (t[i] >= '0' && t[i] <= '9') {
      v = v * 10 + (t[i] - '0');
      digit_before = true;
    } else if (t[i] == '_' && digit_before && i + 1 < n && t[i + 1] >= '0' && t[i + 1] <= '9') {
      digit_before = false;
    } else {
      return std::nullopt;
    }
  }
  return negative ? -v : v;
}

enum class Decoder { raw, ppm, plain };

/// What PpmImageFile._open decides.
struct Header {
  PilMode file_mode = PilMode::L;  // MODES[magic]
  PilMode mode = PilMode::L;       // the image's (I for a 16-bit grey maxval)
  RawMode raw = RawMode::l8;
  Decoder decoder = Decoder::raw;
  int64_t width = 0, height = 0, maxval = 0;
  size_t data_at = 0;
};

inline Header open(const uint8_t* data, size_t size) {
  ByteCursor f{data, size, 0};
  std::string magic;
  for (int i = 0; i < 6; ++i) {  // until whitespace or the longest magic number
    const int c = f.byte();
    if (c < 0 || space(c)) break;
    magic += static_cast<char>(c);
  }
  Header h;
  if (magic == "P1" || magic == "P4") h.file_mode = PilMode::bilevel;
  else if (magic == "P2" || magic == "P5") h.file_mode = PilMode::L;
  else if (magic == "P3" || magic == "P6") h.file_mode = PilMode::RGB;
  else if (magic == "P0CMYK" || magic == "PyCMYK") h.file_mode = PilMode::CMYK;
  else if (magic == "PyP") h.file_mode = PilMode::P;
  else if (magic == "PyRGBA") h.file_mode = PilMode::RGBA;
  else refuse(DecodeFailure::unidentified, "not a PPM file");
  if (magic == "P1" || magic == "P2" || magic == "P3") h.decoder = Decoder::plain;
  const auto token = [&]() {  // _read_token
    uint8_t t[12];
    size_t n = 0;
    while (n <= 10) {
      const int c = f.byte();
      if (c < 0) break;
      if (space(c)) {
        if (n == 0) continue;
        break;
      }
      if (c == '#') {  // the rest of the line; stops at CR, LF or the end
        for (;;) {
          const int d = f.byte();
          if (d < 0 || d == '\r' || d == '\n') break;
        }
        continue;
      }
      t[n++] = static_cast<uint8_t>(c);
    }
    if (n == 0) refuse(DecodeFailure::unsupported, "Reached EOF while reading header");
    if (n > 10) refuse(DecodeFailure::unsupported, "Token too long in file header");
    const auto v = python_int(t, n);
    if (!v) refuse(DecodeFailure::unsupported, "invalid literal for int() in the PPM header");
    return *v;
  };
  h.mode = h.file_mode;
  for (int ix = 0; ix < 3; ++ix) {
    const int64_t v = token();
    if (ix == 0) {
      h.width = v;
    } else if (ix == 1) {
      h.height = v;
      if (h.file_mode == PilMode::bilevel) {
        h.raw = RawMode::bit1_inv;
        break;
      }
    } else {
      h.maxval = v;
      if (!(0 < v && v < 65536)) refuse(DecodeFailure::unsupported, "maxval must be greater than 0 and less than 65536");
      if (v > 255 && h.file_mode == PilMode::L) h.mode = PilMode::I;
      if (h.decoder != Decoder::plain) {
        if (v == 65535 && h.file_mode == PilMode::L) h.raw = RawMode::i16b;
        else if (v != 255) h.decoder = Decoder::ppm;
      }
    }
  }
  if (h.file_mode != PilMode::bilevel && h.raw != RawMode::i16b) {
    switch (h.file_mode) {  // rawmode = mode
      case PilMode::L: h.raw = RawMode::l8; break;
      case PilMode::P: h.raw = RawMode::p8; break;
      case PilMode::RGB: h.raw = RawMode::rgb; break;
      case PilMode::RGBA:
      case PilMode::CMYK: h.raw = RawMode::rgba; break;  // 4 bytes copied as they are
      default: break;
    }
  }
  h.data_at = f.pos;
  if (h.width <= 0 || h.height <= 0) refuse(DecodeFailure::unidentified, "not identified by this driver");
  bomb_check(h.width, h.height);
  if (h.width > INT32_MAX || h.height > INT32_MAX) refuse(DecodeFailure::unsupported, "the image size does not fit a C int");
  return h;
}

/// round(value / maxval * out_max) with Python's float arithmetic and round-half-even.
inline int64_t rescale(int64_t value, int64_t maxval, int64_t out_max) {
  return static_cast<int64_t>(std::nearbyint(static_cast<double>(value) / static_cast<double>(maxval) * static_cast<double>(out_max)));
}

/// The image's pixels from the bytes set_as_raw gets: mode I as 32-bit values ("I;32"), else the mode's bytes.
inline void set_pixels(DecodedImage& im, const std::vector<int64_t>& values) {
  const size_t want = im.mode == PilMode::I ? im.ints.size() : im.pixels.size();
  if (values.size() < want) refuse(DecodeFailure::truncated, "not enough image data");
  if (im.mode == PilMode::I) {
    for (size_t i = 0; i < want; ++i) im.ints[i] = static_cast<int32_t>(values[i]);
  } else {
    for (size_t i = 0; i < want; ++i) im.pixels[i] = static_cast<uint8_t>(values[i] & 255);  // _binary.o8
  }
}

/// PpmDecoder: binary samples of 1 or 2 bytes, rescaled.
inline void decode_binary(DecodedImage& im, const ByteCursor& file, const Header& h) {
  const int bands = im.mode == PilMode::I ? 1 : mode_bands(im.mode);
  const int64_t out_max = im.mode == PilMode::I ? 65535 : 255;
  const size_t total = static_cast<size_t>(h.width) * static_cast<size_t>(h.height) * static_cast<size_t>(bands);
  const int in_bytes = h.maxval < 256 ? 1 : 2;
  ByteCursor r = file;
  r.pos = h.data_at;
  std::vector<int64_t> values;
  values.reserve(std::min(total, r.left()));
  while (values.size() < total) {
    const auto [p, k] = r.read(static_cast<size_t>(in_bytes * bands));
    if (k < static_cast<size_t>(in_bytes * bands)) break;
    for (int b = 0; b < bands; ++b) {
      const int64_t v = in_bytes == 1 ? p[b] : be16(p + 2 * b);
      values.push_back(std::min(out_max, rescale(v, h.maxval, out_max)));
    }
  }
  set_pixels(im, values);
}

/// PpmPlainDecoder: the data after the header in SAFEBLOCK (1 MiB) blocks, comments removed per block.
class PlainReader {
 public:
  PlainReader(const ByteCursor& file, size_t at) : r_(file) { r_.pos = at; }

  /// _read_block: the next MiB of the file; empty at its end.
  std::string read_block() {
    const auto [p, k] = r_.read(size_t{1} << 20);
    return std::string(reinterpret_cast<const char*>(p), k);
  }
  static long comment_end(const std::string& b, size_t start) {  // the lowest of the next \n and \r, or -1
    const size_t a = b.find('\n', start), c = b.find('\r', start);
    const long la = a == std::string::npos ? -1 : static_cast<long>(a), lc = c == std::string::npos ? -1 : static_cast<long>(c);
    return la * lc > 0 ? std::min(la, lc) : std::max(la, lc);
  }
  /// _ignore_comments: the block without its comments (one may span blocks).
  std::string ignore_comments(std::string block) {
    if (comment_spans_) {
      while (!block.empty()) {
        const long e = comment_end(block, 0);
        if (e != -1) {
          block.erase(0, static_cast<size_t>(e) + 1);
          break;
        }
        block = read_block();
      }
    }
    comment_spans_ = false;
    // PIL deletes one comment at a time and searches again from the start (quadratic in the comments of a block);
    // nothing before a deleted comment holds a '#', so one pass that copies around the comments is the same.
    std::string out;
    out.reserve(block.size());
    size_t at = 0;
    for (;;) {
      const size_t start = block.find('#', at);
      if (start == std::string::npos) {
        out.append(block, at, std::string::npos);
        break;
      }
      out.append(block, at, start - at);
      const long e = comment_end(block, start);
      if (e == -1) {
        comment_spans_ = true;
        break;
      }
      at = static_cast<size_t>(e) + 1;
    }
    return out;
  }

 private:
  ByteCursor r_;
  bool comment_spans_ = false;
};

/// bytes.split(): the runs of non-whitespace.
inline std::vector<std::pair<size_t, size_t>> split(const std::string& b) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t i = 0;
  while (i < b.size()) {
    while (i < b.size() && space(static_cast<uint8_t>(b[i]))) ++i;
    const size_t start = i;
    while (i < b.size() && !space(static_cast<uint8_t>(b[i]))) ++i;
    if (i > start) out.emplace_back(start, i - start);
  }
  return out;
}

inline void decode_plain(DecodedImage& im, const ByteCursor& file, const Header& h) {
  PlainReader reader(file, h.data_at);
  if (im.mode == PilMode::bilevel) {  // _decode_bitonal: one character per pixel, whitespace optional
    const size_t want = static_cast<size_t>(h.width) * static_cast<size_t>(h.height);
    size_t have = 0;
    while (have != want) {
      std::string block = reader.read_block();
      if (block.empty()) break;  // the end of the file
      block = reader.ignore_comments(std::move(block));
      std::string tokens;
      for (const auto& [at, len] : split(block)) tokens.append(block, at, len);
      for (char c : tokens)
        if (c != '0' && c != '1') refuse(DecodeFailure::unsupported, "Invalid token for this mode");
      for (char c : tokens)
        if (have < want) im.pixels[have++] = c == '1' ? 0x00 : 0xFF;
    }
    if (have < want) refuse(DecodeFailure::truncated, "not enough image data");
    return;
  }
  // _decode_blocks: a token cut by the block end waits for the next block; at the end of the file it is flushed
  // again and again (half_token is never cleared), repeating the last value until the image is full.
  const int bands = im.mode == PilMode::I ? 1 : mode_bands(im.mode);
  const int64_t out_max = im.mode == PilMode::I ? 65535 : 255;
  const size_t want = static_cast<size_t>(h.width) * static_cast<size_t>(h.height) * static_cast<size_t>(bands);
  std::vector<int64_t> values;
  std::string half;
  bool have_half = false;
  while (values.size() != want) {
    std::string block = reader.read_block();
    const bool flush = block.empty();
    if (flush) {  // the end of the file: flush the half token
      if (have_half) block = " ";
      else break;
    }
    block = reader.ignore_comments(std::move(block));
    if (have_half) block = half + block;
    if (flush && block == half + " ") {
      // From here on every pass turns the same half token into the same value until the image is full (PIL takes
      // one pass per value: 40 s for a 4-Mpixel file cut inside its last token); the first pass checks it.
      const auto v = python_int(reinterpret_cast<const uint8_t*>(half.data()), half.size());
      if (!v) refuse(DecodeFailure::unsupported, "invalid literal for int() in the PPM data");
      if (*v > h.maxval) refuse(DecodeFailure::unsupported, "Channel value too large for this mode");
      const int64_t value = rescale(*v, h.maxval, out_max);
      if (im.mode == PilMode::I && value < 0) refuse(DecodeFailure::unsupported, "a negative value for mode I");
      values.resize(want, value);
      break;
    }
    auto tokens = split(block);
    if (!block.empty() && !space(static_cast<uint8_t>(block.back()))) {
      const auto last = tokens.back();
      tokens.pop_back();
      half = block.substr(last.first, last.second);
      have_half = true;
      if (half.size() > 10) refuse(DecodeFailure::unsupported, "Token too long found in data");
    }
    for (const auto& [at, len] : tokens) {
      if (len > 10) refuse(DecodeFailure::unsupported, "Token too long found in data");
      const auto v = python_int(reinterpret_cast<const uint8_t*>(block.data() + at), len);
      if (!v) refuse(DecodeFailure::unsupported, "invalid literal for int() in the PPM data");
      if (*v > h.maxval) refuse(DecodeFailure::unsupported, "Channel value too large for this mode");
      const int64_t value = rescale(*v, h.maxval, out_max);
      if (im.mode == PilMode::I && value < 0) refuse(DecodeFailure::unsupported, "a negative value for mode I");
      values.push_back(value);
      if (values.size() == want) break;
    }
  }
  set_pixels(im, values);
}

}  // namespace pnm

TL_INLINE ImageInfo pnm_open(const uint8_t* data, size_t size) {
  const pnm::Header h = pnm::open(data, size);
  return {static_cast<int>(h.width), static_cast<int>(h.height), mode_name(h.mode)};
}

TL_INLINE DecodedImage pnm_decode(const uint8_t* data, size_t size) {
  const pnm::Header h = pnm::open(data, size);
  const ByteCursor file{data, size, 0};
  DecodedImage im = DecodedImage::blank(h.mode, static_cast<int>(h.width), static_cast<int>(h.height));
  switch (h.decoder) {
    case pnm::Decoder::raw: {
      // PIL memory-maps L, P, RGBA and CMYK files (stride 0): a short file is a ValueError there, and "truncated"
      // through the raw decoder; both refuse it.
      load_raw(im, file, h.data_at, h.raw, 0, 1);
      break;
    }
    case pnm::Decoder::ppm: pnm::decode_binary(im, file, h); break;
    case pnm::Decoder::plain: pnm::decode_plain(im, file, h); break;
  }
  return im;
}

}  // namespace tl::preprocessing::image::detail
