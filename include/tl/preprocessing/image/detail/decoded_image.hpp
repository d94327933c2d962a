#pragma once
// Decoding unit, the decoders' common output: an image as PIL holds it after Image.open + load (its mode "1", "L",
// "P", "I", "LA", "RGB", "RGBA" or "CMYK", its palette and info["transparency"]), the refusals PIL makes, and the
// decompression-bomb limit. pil_convert.hpp turns a DecodedImage into Keras's L/RGB/RGBA exactly as Image.convert
// does; each decoder (jpeg_decoder.hpp, png_decoder.hpp, bmp_decoder.hpp, gif_decoder.hpp, pnm_decoder.hpp)
// produces one. Pillow 9.4.0 is the reference throughout (docs/dev/decoding_research.md).
#include <tl/core/config.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tl::preprocessing::image::detail {

/// PIL's image modes that decoders produce. `bilevel` is "1" (pixels stored as 0 or 255).
enum class PilMode : uint8_t { bilevel, L, P, I, LA, RGB, RGBA, CMYK };

/// PIL's name of a mode ("1", "L", ...).
const char* mode_name(PilMode mode);

/// Bytes per pixel of a mode in DecodedImage::pixels (mode I keeps its values in DecodedImage::ints).
int mode_bands(PilMode mode);

/// info["transparency"]: a palette index or grey value, an (r, g, b) triple, or one alpha per palette entry.
struct Transparency {
  enum Kind : uint8_t { none, value, rgb, alphas } kind = none;
  int index = 0;                 ///< value: the index (P) or grey level (1, L, I)
  std::array<int, 3> color{};    ///< rgb
  std::vector<uint8_t> entries;  ///< alphas (P): alpha of palette entry i
};

/// An image as PIL holds it: rows top to bottom, mode_bands(mode) bytes per pixel.
struct DecodedImage {
  PilMode mode = PilMode::L;
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;   ///< every mode but I; "1" holds 0 or 255
  std::vector<int32_t> ints;     ///< mode I
  std::vector<uint8_t> palette;  ///< mode P: 256 RGBA entries (1024 bytes); empty for other modes
  Transparency transparency;

  /// Image.core.new(mode, size): zero pixels; mode P gets the grey ramp palette (entry i = (i, i, i, 255),
  /// libImaging/Palette.c), which the file's palette then overwrites entry by entry.
  static DecodedImage blank(PilMode mode, int width, int height);

  /// putpalette: the first size / entry_bytes entries from the file (BGR order when `bgr`), the ramp beyond.
  void put_palette(const uint8_t* data, size_t size, int entry_bytes, bool bgr);
};

/// What a decoder may do differently from Keras's exact decode: the opt-in fast JPEG decode, and a guard for
/// fuzzing. The default is Keras's (PIL's) decode.
struct DecodeOptions {
  /// > 0: a JPEG is decoded at PIL's draft scale for this target size (Image.draft(None, (width, height)):
  /// libjpeg's DCT-domain scaling by 1/2, 1/4 or 1/8, never below the target), then resized as usual.
  int draft_width = 0;
  int draft_height = 0;
  /// > 0: a progressive JPEG with more scans is refused (a CPU bomb guard for fuzzing; PIL has none).
  long max_jpeg_scans = 0;
};

/// Why a decoder refuses a file, in PIL's terms. decode_image (decode.hpp) turns it into an IOError that names
/// the file: unidentified -> "not a decodable image (...)" (PIL: UnidentifiedImageError), truncated -> "is
/// truncated", corrupt -> "is corrupt (...)" (broken data stream, codec errors), unsupported -> "is not supported
/// (...)" (PIL's "Unsupported BMP ..." errors, ValueErrors on headers), too_large -> the decompression-bomb
/// message.
struct DecodeFailure : std::runtime_error {
  enum Kind : uint8_t { unidentified, truncated, corrupt, unsupported, too_large } kind;
  DecodeFailure(Kind kind, const std::string& why);
};

[[noreturn]] void refuse(DecodeFailure::Kind kind, const std::string& why);

/// The limit behind set_max_image_pixels (decode.hpp): twice PIL's Image.MAX_IMAGE_PIXELS by default.
std::atomic<int64_t>& max_image_pixels_limit();

/// PIL's _decompression_bomb_check, made where PIL makes it (right after a header gives the size, before any
/// pixel is allocated): DecodeFailure too_large above the limit.
void bomb_check(int64_t width, int64_t height);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/decoded_image-inl.hpp>
#endif
