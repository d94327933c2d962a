#pragma once
// Decoding unit, per-format decoders: format sniffing and the table of decoders decode_bytes (decode.hpp) picks
// from. decode_bytes runs, in order: the pixel limit a PNG header allows, the integrity checks PIL makes
// (integrity.hpp), the format's header reader (the decompression-bomb check comes before any pixel), then its
// pixel decoder; it converts and resizes nothing (that is load_img's, with pil_convert.hpp and pil_resize.hpp).
//
// Adding a decoder (libjpeg-turbo for JPEG, the BMP/GIF/PNM variants stb misreads): write its three functions
// in a unit of its own (a declaration header and an impl/*-inl.hpp, listed in src/preprocessing.cpp) and return
// them from decoder_for() for its format. Nothing in load_img or the iterators changes.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tl::preprocessing::image::detail {

/// What a file's first bytes say it is (its signature, not its name's extension).
enum class ImageFormat { unknown, png, jpeg, gif, bmp, pnm, psd, tiff, webp };

/// The format `size` first bytes of a file announce: unknown when none does (TGA has no signature). A prefix
/// is enough (16 bytes); a JPEG is recognised behind any number of FF fill bytes, as stb and libjpeg read it.
ImageFormat sniff_format(const uint8_t* data, size_t size);

/// One format's decoder. `info` (file bytes) and `file_info` (a path: the skip policy's check at listing time,
/// which should read no more than the header) give nothing for a header they cannot read; `decode` gives the
/// image in its own channels (1 to 4) or throws IOError starting with `name` ("image file 'a.png' is corrupt or
/// truncated (...)"); `failure` says why this thread's last info/file_info/decode call failed (nullptr: unknown).
/// Bytes are under 2 GiB and not empty (decode_bytes checks).
struct Decoder {
  std::optional<ImageInfo> (*info)(const std::vector<uint8_t>& bytes);
  std::optional<ImageInfo> (*file_info)(const std::string& path);
  Image (*decode)(const std::vector<uint8_t>& bytes, const std::string& name);
  const char* (*failure)();
};

/// The decoder for a format: stb_image's (stb_codec.hpp) for every format today, unknown included.
Decoder decoder_for(ImageFormat format);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/decoders-inl.hpp>
#endif
