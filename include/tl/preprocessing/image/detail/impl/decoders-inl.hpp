#pragma once
#include <tl/preprocessing/image/detail/decoders.hpp>

#include <tl/preprocessing/image/detail/stb_codec.hpp>

#include <cstring>

namespace tl::preprocessing::image::detail {

TL_INLINE ImageFormat sniff_format(const uint8_t* data, size_t size) {
  auto starts = [&](const char* magic, size_t n) { return size >= n && std::memcmp(data, magic, n) == 0; };
  if (starts("\x89PNG\r\n\x1A\n", 8)) return ImageFormat::png;
  if (size >= 2 && data[0] == 0xFF) {  // FF D8 behind FF fill bytes; a prefix of fill only may still be one
    size_t at = 0;
    while (at < size && data[at] == 0xFF) ++at;
    if (at == size || data[at] == 0xD8) return ImageFormat::jpeg;
  }
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return ImageFormat::gif;
  if (starts("BM", 2)) return ImageFormat::bmp;
  if (size >= 2 && data[0] == 'P' && data[1] >= '1' && data[1] <= '7') return ImageFormat::pnm;
  if (starts("8BPS", 4)) return ImageFormat::psd;
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return ImageFormat::tiff;
  if (starts("RIFF", 4)) return ImageFormat::webp;  // a RIFF container: WebP (stb reads none)
  return ImageFormat::unknown;
}

TL_INLINE Decoder decoder_for(ImageFormat /*format*/) {
  return {stb_info, stb_file_info, stb_decode, stb_failure_reason};
}

}  // namespace tl::preprocessing::image::detail
