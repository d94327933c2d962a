#pragma once
#include <tl/preprocessing/image/detail/gif_decoder.hpp>

#include <tl/preprocessing/image/detail/pil_codec.hpp>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tl::preprocessing::image::detail {

namespace gif {

/// GifDecode.c's LZW decoder for frame 0 (transparency -1: every index is written), resumable like the original.
class LzwDecoder {
 public:
  LzwDecoder(DecodedImage& im, Tile tile, int bits, bool interlace) : im_(im), tile_(tile), bits_(bits), interlace_(interlace ? 1 : 0) {}

  DecodeStep operator()(const uint8_t* buf, size_t bytes_in) {
    const uint8_t* ptr = buf;
    long bytes = static_cast<long>(bytes_in);
    if (state_ == 0) {
      if (bits_ < 0 || bits_ > 12) return {-1, -8};  // IMAGING_CODEC_CONFIG
      clear_ = 1 << bits_, end_ = clear_ + 1;
      if (interlace_) interlace_ = 1, step_ = repeat_ = 8;
      else step_ = 1;
      state_ = 1;
    }
    uint8_t* out = row() + x_;
    for (;;) {
      const uint8_t* p;
      int i;
      if (state_ == 1) {
        next_ = clear_ + 2, codesize_ = bits_ + 1, codemask_ = (1 << codesize_) - 1, bufferindex_ = kBuffer;
        state_ = 2;
      }
      if (bufferindex_ < kBuffer) {
        i = kBuffer - bufferindex_;
        p = &buffer_[bufferindex_];
        bufferindex_ = kBuffer;
      } else {
        while (bitcount_ < codesize_) {
          if (blocksize_ > 0) {
            const int c = *ptr++;
            --bytes, --blocksize_;
            bitbuffer_ |= static_cast<int32_t>(c) << bitcount_;
            bitcount_ += 8;
          } else {
            if (bytes < 1) return {static_cast<long>(ptr - buf)};
            const int c = *ptr;
            if (bytes < c + 1) return {static_cast<long>(ptr - buf)};  // only whole sub-blocks are decoded
            blocksize_ = c;
            ++ptr, --bytes;
          }
        }
        int c = bitbuffer_ & codemask_;
        bitbuffer_ = static_cast<int32_t>(static_cast<uint32_t>(bitbuffer_) >> codesize_);
        bitcount_ -= codesize_;
        if (c == clear_) {
          if (state_ != 2) state_ = 1;
          continue;
        }
        if (c == end_) break;
        i = 1;
        p = &lastdata_;
        if (state_ == 2) {
          if (c > clear_) return {-1, -2};
          lastdata_ = static_cast<uint8_t>(lastcode_ = c);
          state_ = 3;
        } else {
          const int thiscode = c;
          if (c > next_) return {-1, -2};
          if (c == next_) {
            if (bufferindex_ <= 0) return {-1, -2};
            buffer_[--bufferindex_] = lastdata_;
            c = lastcode_;
          }
          while (c >= clear_) {
            if (bufferindex_ <= 0 || c >= kTable) return {-1, -2};
            buffer_[--bufferindex_] = data_[c];
            c = link_[c];
          }
          lastdata_ = static_cast<uint8_t>(c);
          if (next_ < kTable) {
            data_[next_] = static_cast<uint8_t>(c);
            link_[next_] = static_cast<uint16_t>(lastcode_);
            if (next_ == codemask_ && codesize_ < kBits) ++codesize_, codemask_ = (1 << codesize_) - 1;
            ++next_;
          }
          lastcode_ = thiscode;
        }
      }
      if (y_ >= tile_.ysize) return {-1, -1};  // IMAGING_CODEC_OVERRUN
      for (int k = 0; k < i; ++k) {
        *out++ = p[k];
        if (++x_ >= tile_.xsize && !newline(out)) return {-1};
      }
    }
    return {static_cast<long>(ptr - buf)};
  }

 private:
  static constexpr int kBits = 12, kTable = 1 << kBits, kBuffer = 1 << kBits;

  uint8_t* row() {
    const int y = std::min(y_, tile_.ysize - 1);  // a finished image is never written again
    return im_.pixels.data() + static_cast<size_t>(y + tile_.y0) * static_cast<size_t>(im_.width) + static_cast<size_t>(tile_.x0);
  }
  /// NEWLINE: the next row (interlaced: the next pass's rows); false when the image is complete.
  bool newline(uint8_t*& out) {
    x_ = 0;
    y_ += step_;
    while (y_ >= tile_.ysize) switch (interlace_) {
        case 1: repeat_ = y_ = 4, interlace_ = 2; break;
        case 2: step_ = 4, repeat_ = y_ = 2, interlace_ = 3; break;
        case 3: step_ = 2, repeat_ = y_ = 1, interlace_ = 0; break;
        default: return false;
      }
    if (y_ < tile_.ysize) out = row();
    return true;
  }

  DecodedImage& im_;
  Tile tile_;
  int bits_, interlace_;
  int state_ = 0, x_ = 0, y_ = 0, step_ = 1, repeat_ = 0;
  int clear_ = 0, end_ = 0, next_ = 0, codesize_ = 0, codemask_ = 0, bufferindex_ = kBuffer;
  int32_t bitbuffer_ = 0;
  int bitcount_ = 0, blocksize_ = 0, lastcode_ = 0;
  uint8_t lastdata_ = 0;
  uint8_t buffer_[kBuffer]{};
  uint16_t link_[kTable]{};
  uint8_t data_[kTable]{};
};

/// What GifImageFile._open and _seek(0) decide before any pixel.
struct Header {
  int64_t width = 0, height = 0;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0, lzw_bits = 0;
  bool interlace = false;
  std::optional<std::vector<uint8_t>> palette;  // frame 0's palette (nothing: mode L)
  std::optional<int> transparency;
  size_t data_at = 0;
};

/// _is_palette_needed: false for the identity grey ramp (IndexError on a palette cut inside an entry).
inline bool palette_needed(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; i += 3) {
    if (i + 2 >= n) refuse(DecodeFailure::unidentified, "a GIF palette is cut");
    if (!(static_cast<int>(i / 3) == p[i] && p[i] == p[i + 1] && p[i + 1] == p[i + 2])) return true;
  }
  return false;
}

/// GifImageFile._open + _seek(0) (GifImagePlugin.py:84-400, LOADING_STRATEGY RGB_AFTER_FIRST).
inline Header open(const uint8_t* data, size_t size) {
  constexpr auto unidentified = DecodeFailure::unidentified;
  ByteCursor f{data, size, 0};
  const auto [s, k] = f.read(13);
  if (k < 6 || (std::memcmp(s, "GIF87a", 6) != 0 && std::memcmp(s, "GIF89a", 6) != 0)) refuse(unidentified, "not a GIF file");
  if (k < 13) refuse(unidentified, "the GIF screen descriptor is cut");
  Header h;
  h.width = le16(s + 6), h.height = le16(s + 8);
  const int flags = s[10];
  std::optional<std::vector<uint8_t>> global;
  if (flags & 128) {
    const auto [p, n] = f.read(size_t{3} << ((flags & 7) + 1));
    if (palette_needed(p, n)) global.emplace(p, p + n);
  }
  // GifImageFile.data(): a sub-block, or nothing at a zero length or the end of the file.
  const auto sub_block = [&]() -> std::optional<std::pair<const uint8_t*, size_t>> {
    const int len = f.byte();
    if (len <= 0) return std::nullopt;
    return f.read(static_cast<size_t>(len));
  };
  const int first = f.byte();
  if (first < 0 || first == ';') refuse(unidentified, "no image in the GIF file");
  bool found = false;
  std::optional<std::optional<std::vector<uint8_t>>> local;  // set: the frame has a palette (nothing: a grey ramp)
  for (int c = first;;) {
    if (c == -2) c = f.byte();
    if (c < 0 || c == ';') break;
    if (c == '!') {
      const int label = f.byte();
      if (label < 0) refuse(unidentified, "a GIF extension is cut");
      auto block = sub_block();
      if (label == 249) {  // graphic control extension
        if (!block) refuse(unidentified, "an empty GIF graphic control extension");
        if (block->second < 1) refuse(unidentified, "a GIF graphic control extension is cut");
        if (block->first[0] & 1) {
          if (block->second < 4) refuse(unidentified, "a GIF graphic control extension is cut");
          h.transparency = block->first[3];
        }
        if (block->second < 3) refuse(unidentified, "a GIF graphic control extension is cut");
      } else if (label == 254) {  // comment
        while (block) block = sub_block();
        c = -2;
        continue;
      } else if (label == 255) {  // application extension
        if (!block) refuse(unidentified, "an empty GIF application extension");
        if (block->second >= 11 && std::memcmp(block->first, "NETSCAPE2.0", 11) == 0) {
          if (!sub_block()) refuse(unidentified, "an empty NETSCAPE extension");
        }
      }
      while (sub_block()) {
      }
    } else if (c == ',') {  // the image descriptor
      const auto [d, n] = f.read(9);
      if (n < 9) refuse(unidentified, "a GIF image descriptor is cut");
      h.x0 = static_cast<int>(le16(d)), h.y0 = static_cast<int>(le16(d + 2));
      h.x1 = h.x0 + static_cast<int>(le16(d + 4)), h.y1 = h.y0 + static_cast<int>(le16(d + 6));
      if (h.x1 > h.width || h.y1 > h.height) {
        h.width = std::max<int64_t>(h.x1, h.width), h.height = std::max<int64_t>(h.y1, h.height);
        bomb_check(h.width, h.height);
      }
      h.interlace = (d[8] & 64) != 0;
      if (d[8] & 128) {
        const auto [p, pn] = f.read(size_t{3} << ((d[8] & 7) + 1));
        if (palette_needed(p, pn)) local.emplace(std::vector<uint8_t>(p, p + pn));
        else local.emplace(std::nullopt);
      }
      const int b = f.byte();
      if (b < 0) refuse(unidentified, "the GIF LZW code size is cut");
      h.lzw_bits = b;
      h.data_at = f.pos;
      found = true;
      break;
    }
    c = -2;
  }
  if (!found) refuse(unidentified, "no image in the GIF file");
  h.palette = local ? *local : global;
  if (h.width <= 0 || h.height <= 0) refuse(unidentified, "not identified by this driver");
  bomb_check(h.width, h.height);
  return h;
}

}  // namespace gif

TL_INLINE ImageInfo gif_open(const uint8_t* data, size_t size) {
  const gif::Header h = gif::open(data, size);
  return {static_cast<int>(h.width), static_cast<int>(h.height), h.palette ? "P" : "L"};
}

TL_INLINE DecodedImage gif_decode(const uint8_t* data, size_t size) {
  const gif::Header h = gif::open(data, size);
  DecodedImage im = DecodedImage::blank(h.palette ? PilMode::P : PilMode::L, static_cast<int>(h.width), static_cast<int>(h.height));
  if (h.transparency) std::fill(im.pixels.begin(), im.pixels.end(), static_cast<uint8_t>(*h.transparency));  // load_prepare's fill
  if (h.palette) im.put_palette(h.palette->data(), h.palette->size(), 3, false);
  if (h.transparency) im.transparency = {Transparency::value, *h.transparency, {}, {}};
  const Tile tile = tile_of(im, h.x0, h.y0, h.x1, h.y1);
  auto decoder = std::make_unique<gif::LzwDecoder>(im, tile, h.lzw_bits, h.interlace);  // 12 KiB of tables
  ByteCursor r{data, size, h.data_at};
  image_file_load([&](size_t n) { return r.read(n); }, [&](const uint8_t* p, size_t n) { return (*decoder)(p, n); });
  return im;
}

}  // namespace tl::preprocessing::image::detail
