#pragma once
// Decoding unit, PBM/PGM/PPM: tl's own bounds-checked reader mirroring Pillow 9.4's PpmImagePlugin.py
// (docs/dev/decoding_research.md §6): P1-P6 with `#` comments in the header; maxval 1..65535, rescaled as
// round(v / maxval * out_max) with Python's rounding (16-bit grey is mode I, clipped to 255 by convert); plain
// P1/P2/P3 read as PpmPlainDecoder reads them (a file ending inside a token repeats that value until the image is
// full); PIL's private variants P0CMYK, PyP, PyRGBA and PyCMYK.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>

#include <cstddef>
#include <cstdint>

namespace tl::preprocessing::image::detail {

/// PpmImageFile._open: the size and mode, or DecodeFailure as PIL refuses.
ImageInfo pnm_open(const uint8_t* data, size_t size);

/// Image.open + load of a PNM file as PIL does it: mode 1, L, I, RGB (or P, RGBA, CMYK for PIL's variants).
DecodedImage pnm_decode(const uint8_t* data, size_t size);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/pnm_decoder-inl.hpp>
#endif
