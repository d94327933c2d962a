#pragma once
// Decoding unit, PNG: tl's chunk walker and Pillow's ZipDecode.c logic over zlib's inflate, as Pillow 9.4 reads a
// PNG for keras_preprocessing (PngImagePlugin.py, docs/dev/decoding_research.md §5):
//  * Image.open: chunks before the first IDAT are CRC-checked (a bad CRC is unidentified); IHDR gives the mode
//    (16-bit grey is mode I, clipped to 255 by convert; 16-bit colour keeps the high bytes; LA16 is RGBA), PLTE
//    the palette (entries beyond it stay PIL's grey ramp), tRNS the transparency.
//  * load: IDAT data through inflate exactly as Pillow feeds it (65,536-byte blocks, one row of output per call):
//    IDAT CRCs and the chunks after the image are never checked; a zlib stream ending at a row boundary leaves the
//    rest black, ending mid-row is "truncated", Z_DATA_ERROR and filter types above 4 are corrupt; Adam7 as
//    Pillow walks it. The chunks after the image data must have whole bodies.
// <zlib.h> is included by impl/png_decoder-inl.hpp only.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>

#include <cstddef>
#include <cstdint>

namespace tl::preprocessing::image::detail {

/// PngImageFile._open: the size and mode, or DecodeFailure as PIL refuses.
ImageInfo png_open(const uint8_t* data, size_t size);

/// Image.open + load of a PNG as PIL does it: mode 1, L, I, P, LA, RGB or RGBA.
DecodedImage png_decode(const uint8_t* data, size_t size);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/png_decoder-inl.hpp>
#endif
