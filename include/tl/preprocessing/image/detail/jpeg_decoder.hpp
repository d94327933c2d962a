#pragma once
// Decoding unit, JPEG: libjpeg-turbo (Debian's libjpeg62-turbo, the library Debian's PIL links) driven exactly as
// Pillow 9.4 drives it for keras_preprocessing's load_img (docs/dev/decoding_research.md §2):
//  * Image.open: JpegImagePlugin wants FF D8 FF and walks the markers itself up to the first SOS (8-bit precision
//    only, 1/3/4 components -> L/RGB/CMYK); the decompression-bomb check follows.
//  * load: libjpeg with a suspending source (running out of data is "image file is truncated", except when only
//    the end-of-image marker is missing), jpeg_color_space as libjpeg guesses it from JFIF/Adobe markers,
//    out_color_space GRAYSCALE/RGB/CMYK, and libjpeg's defaults otherwise: JDCT_ISLOW, fancy upsampling, block
//    smoothing. Warnings are silent and never fail the decode (PIL's output_message is a no-op); a fatal error is
//    "broken data stream". EXIF orientation is ignored, as Keras ignores it.
//  * CMYK comes out inverted ("CMYK;I", Adobe's convention), as PIL holds it.
// libjpeg's error exit longjmps: only one C-style function (its frame holds nothing with a destructor) calls
// setjmp; every C++ object lives in its caller, and the error becomes a C++ exception after it has returned.
// <jpeglib.h> is included by impl/jpeg_decoder-inl.hpp only.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>

#include <cstddef>
#include <cstdint>

namespace tl::preprocessing::image::detail {

/// What PIL's JpegImageFile._open learns before decoding.
struct JpegHeader {
  int width = 0, height = 0;
  int layers = 0;  ///< components: 1 (L), 3 (RGB) or 4 (CMYK)
  bool progressive = false;
};

/// JpegImageFile._open's marker walk (JpegImagePlugin.py:351-402): the header, or DecodeFailure as PIL refuses.
JpegHeader jpeg_open(const uint8_t* data, size_t size);

/// Image.open of a JPEG: jpeg_open and the decompression-bomb check; the size and mode.
ImageInfo jpeg_info(const uint8_t* data, size_t size);

/// JpegImageFile.draft's scale for a target size: the largest of 8, 4, 2, 1 not above min(width / target_width,
/// height / target_height) (integer divisions), so that the drafted image is never smaller than the target.
int jpeg_draft_scale(int width, int height, int target_width, int target_height);

/// Image.open + load of a JPEG as PIL does it: mode L, RGB or CMYK (inverted, as PIL holds it). With
/// options.draft_width/height, decoded at jpeg_draft_scale (libjpeg's DCT scaling: other pixels than Keras's).
DecodedImage jpeg_decode(const uint8_t* data, size_t size, const DecodeOptions& options);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/jpeg_decoder-inl.hpp>
#endif
