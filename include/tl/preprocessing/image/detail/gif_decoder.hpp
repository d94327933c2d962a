#pragma once
// Decoding unit, GIF: tl's own bounds-checked reader of frame 0 (all Keras sees) mirroring Pillow 9.4's
// GifImagePlugin.py and GifDecode.c (docs/dev/decoding_research.md §4): the screen enlarged to contain the frame,
// the global or local palette kept only when it is not the identity grey ramp (else mode "L" with the raw
// indices), the canvas outside the frame filled with the transparency index (else 0), info["transparency"] from
// the graphic control extension; LZW over whole sub-blocks, resuming after an end code as Pillow does.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>

#include <cstddef>
#include <cstdint>

namespace tl::preprocessing::image::detail {

/// GifImageFile._open (with _seek(0)): the size and mode, or DecodeFailure as PIL refuses.
ImageInfo gif_open(const uint8_t* data, size_t size);

/// Image.open + load of a GIF's first frame as PIL does it: mode P or L, transparency as PIL records it.
DecodedImage gif_decode(const uint8_t* data, size_t size);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/gif_decoder-inl.hpp>
#endif
