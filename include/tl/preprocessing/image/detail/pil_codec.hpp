#pragma once
// Decoding unit, what PIL's decoders share (Pillow 9.4.0, docs/dev/decoding_research.md §1): a bounds-checked read
// cursor with Python file semantics, the raw modes of Unpack.c the decoders use, the raw decoder (RawDecode.c),
// ImageFile.load's push loop (64 KiB blocks; no more bytes while the decoder wants some -> "image file is
// truncated") and PyDecoder.set_as_raw. Used by the BMP, GIF, PNM and PNG decoders.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tl::preprocessing::image::detail {

/// A read cursor over a file's bytes with Python file semantics: read(n) returns what is left (maybe less).
struct ByteCursor {
  const uint8_t* data = nullptr;
  size_t size = 0;
  size_t pos = 0;

  size_t left() const { return pos < size ? size - pos : 0; }
  /// fp.read(n): up to n bytes.
  std::pair<const uint8_t*, size_t> read(size_t n) {
    const size_t k = n < left() ? n : left();
    const uint8_t* p = data + (pos < size ? pos : size);
    pos += k;
    return {p, k};
  }
  /// One byte, or -1 at the end.
  int byte() { return pos < size ? data[pos++] : -1; }
  /// ImageFile._safe_read: all n bytes, or DecodeFailure truncated ("Truncated File Read").
  const uint8_t* safe_read(int64_t n);
};

uint32_t le16(const uint8_t* p);
uint32_t le32(const uint8_t* p);
uint32_t be16(const uint8_t* p);
uint32_t be32(const uint8_t* p);

/// The raw modes of Unpack.c that the decoders use: how file bytes become pixels of the image's mode.
enum class RawMode : uint8_t {
  bit1,       ///< "1" -> 1: 1 bit per pixel, 1 is white
  bit1_inv,   ///< "1;I" -> 1: 1 is black (PBM)
  bit1_byte,  ///< "1;8" -> 1: one byte per pixel, non-zero is white
  l2, l4, l8,  ///< "L;2", "L;4" (scaled to 0..255), "L"
  p1, p2, p4, p8,  ///< "P;1", "P;2", "P;4", "P"
  i16b,       ///< "I;16B" -> I
  la,         ///< "LA"
  rgb, rgb16b, bgr, bgrx, xbgr, bgr15, bgr16,  ///< -> RGB
  rgba, rgba16b, la16b, bgra, abgr,             ///< -> RGBA
};

/// Bits one pixel takes in the file.
int raw_bits(RawMode raw);

/// Unpacks `count` pixels from `in` into the image, from pixel index `first` on (rows are contiguous).
void unpack_pixels(RawMode raw, const uint8_t* in, DecodedImage& im, size_t first, int count);

/// A push decoder's answer to ImageFile.load: bytes consumed (>= 0), or -1 when finished; errcode < 0 is a codec
/// error (Pillow's IMAGING_CODEC_*).
struct DecodeStep {
  long consumed = 0;
  int errcode = 0;
};

/// The region a tile decodes into (decode.c _setimage; x0 == x1 == 0 means the whole image).
struct Tile {
  int x0 = 0, y0 = 0, xsize = 0, ysize = 0;
};
/// The tile (x0, y0, x1, y1) of `im`, checked as _setimage checks it.
Tile tile_of(const DecodedImage& im, int x0, int y0, int x1, int y1);

/// RawDecode.c: rows of ceil(xsize * bits / 8) bytes, `stride` apart (0: packed), bottom-up when ystep < 0.
class RawDecoder {
 public:
  RawDecoder(DecodedImage& im, RawMode raw, Tile tile, int64_t stride, int ystep)
      : im_(&im), raw_(raw), tile_(tile), stride_(stride), ystep_(ystep) {}
  DecodeStep operator()(const uint8_t* buf, size_t n);

 private:
  DecodedImage* im_;
  RawMode raw_;
  Tile tile_;
  int64_t stride_;
  int ystep_;
  int64_t skip_ = 0, bytes_ = 0;
  int y_ = 0, state_ = 0;
};

/// Pillow's message for a codec error code (raise_oserror).
std::string codec_error(int errcode);

/// ImageFile.load's loop (ImageFile.py:246-288): `read(65536)` gives the next block (pointer, length; length 0 at
/// the end), `decode(data, size)` a DecodeStep; the unconsumed rest goes back in front of the next block. No more
/// bytes while the decoder wants some: truncated; an error code after the loop: corrupt.
template <class Read, class Decode>
void image_file_load(Read&& read, Decode&& decode) {
  std::vector<uint8_t> pending;
  for (;;) {
    const auto [p, n] = read(size_t{65536});
    if (n == 0) refuse(DecodeFailure::truncated, "image file is truncated");
    const uint8_t* data = p;
    size_t size = n;
    if (!pending.empty()) {
      pending.insert(pending.end(), p, p + n);
      data = pending.data();
      size = pending.size();
    }
    const DecodeStep s = decode(data, size);
    if (s.consumed < 0) {
      if (s.errcode < 0) refuse(DecodeFailure::corrupt, codec_error(s.errcode));
      return;
    }
    if (pending.empty()) pending.assign(data + s.consumed, data + size);
    else pending.erase(pending.begin(), pending.begin() + s.consumed);
  }
}

/// A raw tile through ImageFile.load from `offset` of the file (BMP and PPM raw data).
void load_raw(DecodedImage& im, const ByteCursor& file, size_t offset, RawMode raw, int64_t stride, int ystep);

/// PyDecoder.set_as_raw: the whole buffer through the raw decoder at once; short data is a refusal ("not enough
/// image data", PIL's ValueError).
void set_as_raw(DecodedImage& im, RawMode raw, const std::vector<uint8_t>& data, int ystep);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/pil_codec-inl.hpp>
#endif
