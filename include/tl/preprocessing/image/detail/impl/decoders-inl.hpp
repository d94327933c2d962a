#pragma once
#include <tl/preprocessing/image/detail/decoders.hpp>

#include <tl/preprocessing/image/detail/bmp_decoder.hpp>
#include <tl/preprocessing/image/detail/gif_decoder.hpp>
#include <tl/preprocessing/image/detail/jpeg_decoder.hpp>
#include <tl/preprocessing/image/detail/png_decoder.hpp>
#include <tl/preprocessing/image/detail/pnm_decoder.hpp>
#include <tl/preprocessing/image/detail/stb_codec.hpp>

#include <cstring>

namespace tl::preprocessing::image::detail {

TL_INLINE ImageFormat sniff_format(const uint8_t* data, size_t size) {
  const auto starts = [&](const char* magic, size_t n) { return size >= n && std::memcmp(data, magic, n) == 0; };
  if (starts("BM", 2)) return ImageFormat::bmp;
  if (size >= 4) {  // DibImagePlugin: the info header's size first
    const uint32_t header = uint32_t(data[0]) | uint32_t(data[1]) << 8 | uint32_t(data[2]) << 16 | uint32_t(data[3]) << 24;
    if (header == 12 || header == 40 || header == 64 || header == 108 || header == 124) return ImageFormat::dib;
  }
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return ImageFormat::gif;
  if (starts("\xFF\xD8\xFF", 3)) return ImageFormat::jpeg;
  if (size >= 2 && data[0] == 'P' && data[1] != 0 && std::strchr("0123456y", data[1])) return ImageFormat::pnm;
  if (starts("\x89PNG\r\n\x1A\n", 8)) return ImageFormat::png;
  if (starts("8BPS", 4)) return ImageFormat::psd;
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return ImageFormat::tiff;
  if (starts("RIFF", 4)) return ImageFormat::webp;  // a RIFF container: WebP
  return ImageFormat::unknown;
}

TL_INLINE std::optional<Decoder> decoder_for(ImageFormat format) {
  switch (format) {
    case ImageFormat::jpeg:
      return Decoder{"JPEG", jpeg_info, [](const uint8_t* d, size_t n, const DecodeOptions& o) { return jpeg_decode(d, n, o); }};
    case ImageFormat::png:
      return Decoder{"PNG", png_open, [](const uint8_t* d, size_t n, const DecodeOptions&) { return png_decode(d, n); }};
    case ImageFormat::bmp:
      return Decoder{"BMP", [](const uint8_t* d, size_t n) { return bmp_open(d, n, false); },
                     [](const uint8_t* d, size_t n, const DecodeOptions&) { return bmp_decode(d, n, false); }};
    case ImageFormat::dib:
      return Decoder{"DIB", [](const uint8_t* d, size_t n) { return bmp_open(d, n, true); },
                     [](const uint8_t* d, size_t n, const DecodeOptions&) { return bmp_decode(d, n, true); }};
    case ImageFormat::gif:
      return Decoder{"GIF", gif_open, [](const uint8_t* d, size_t n, const DecodeOptions&) { return gif_decode(d, n); }};
    case ImageFormat::pnm:
      return Decoder{"PPM", pnm_open, [](const uint8_t* d, size_t n, const DecodeOptions&) { return pnm_decode(d, n); }};
    case ImageFormat::psd:
    case ImageFormat::unknown:  // TGA has no signature
      return Decoder{"stb_image (TGA, PSD)", stb_open, [](const uint8_t* d, size_t n, const DecodeOptions&) { return stb_decode(d, n); }};
    case ImageFormat::tiff:
    case ImageFormat::webp: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace tl::preprocessing::image::detail
