#pragma once
// Decoding unit, BMP and DIB: tl's own bounds-checked reader mirroring Pillow 9.4's BmpImagePlugin.py
// (docs/dev/decoding_research.md §3): headers of 12 (OS/2 v1), 40, 64 (OS/2 v2), 108 and 124 bytes; 1/4/8-bit
// palettes (an all-grey palette makes the image "1" or "L" and drops it, whatever the depth: rows are then read
// as PIL's memory map reads them), 16/24/32-bit BGR (alpha ignored unless BITFIELDS name it), the BITFIELDS
// layouts PIL lists, RLE8/RLE4 with BmpRleDecoder's quirks, indices beyond the palette reading PIL's grey ramp.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>

#include <cstddef>
#include <cstdint>

namespace tl::preprocessing::image::detail {

/// BmpImageFile._open (`dib` false: "BM" and a 14-byte file header) or DibImageFile._open (`dib`: the info
/// header first): the size and mode, or DecodeFailure as PIL refuses.
ImageInfo bmp_open(const uint8_t* data, size_t size, bool dib);

/// Image.open + load of a BMP (or headerless DIB) as PIL does it: mode 1, L, P, RGB or RGBA.
DecodedImage bmp_decode(const uint8_t* data, size_t size, bool dib);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/bmp_decoder-inl.hpp>
#endif
