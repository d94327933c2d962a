#pragma once
// Decoding unit, per-format decoders: format sniffing as PIL's Image.open does it, and the table of decoders
// decode_image (decode.hpp) picks from. Each decoder reproduces Pillow 9.4 for its format
// (docs/dev/decoding_research.md): JPEG through libjpeg-turbo (jpeg_decoder.hpp), PNG through zlib
// (png_decoder.hpp), BMP/DIB, GIF and PBM/PGM/PPM with tl's own bounds-checked code (bmp_decoder.hpp,
// gif_decoder.hpp, pnm_decoder.hpp); TGA and PSD through stb_image (stb_codec.hpp). A decoder returns the image as
// PIL holds it (DecodedImage: mode, palette, transparency); conversion and resizing are load_img's.
//
// Adding a decoder: write its open (the header: Image.open) and decode (open + load) functions in a unit of its
// own (a declaration header and an impl/*-inl.hpp, listed in src/preprocessing.cpp), give its format a signature
// in sniff_format and return it from decoder_for(). Nothing in load_img or the iterators changes.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace tl::preprocessing::image::detail {

/// What a file's first bytes say it is (PIL's _accept tests, not the name's extension).
enum class ImageFormat { unknown, png, jpeg, gif, bmp, dib, pnm, psd, tiff, webp };

/// The format `size` first bytes of a file announce, tested in Image.open's plugin order (BMP, DIB, GIF, JPEG,
/// PPM, PNG); unknown when none does (TGA has no signature). 16 bytes are enough. A JPEG must start FF D8 FF.
ImageFormat sniff_format(const uint8_t* data, size_t size);

/// One format's decoder: `open` reads the header as Image.open does (size and mode, or DecodeFailure), `decode`
/// opens and loads (DecodeFailure as PIL refuses; std::bad_alloc when memory runs out).
struct Decoder {
  const char* name;
  ImageInfo (*open)(const uint8_t* data, size_t size);
  DecodedImage (*decode)(const uint8_t* data, size_t size, const DecodeOptions& options);
};

/// The decoder for a format; nothing for TIFF and WebP, which tl does not read.
std::optional<Decoder> decoder_for(ImageFormat format);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/decoders-inl.hpp>
#endif
