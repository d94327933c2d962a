#pragma once
// Decoding unit, entry points: a file's bytes to an 8-bit Image in its own channels, with the decompression-bomb
// guard and errors that name the file and the reason. The parts: format sniffing and the per-format decoders
// (detail/decoders.hpp, stb_image's in detail/stb_codec.hpp), the integrity checks PIL makes
// (detail/integrity.hpp). Conversion and resizing are load_img's (load_img.hpp).
#include <tl/core/config.hpp>
#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tl::preprocessing::image {

/// The largest width*height load_img decodes (PIL raises DecompressionBombError above 2 * 89478485).
///   tl::preprocessing::image::set_max_image_pixels(500'000'000);
void set_max_image_pixels(int64_t pixels);
int64_t max_image_pixels();

namespace detail {

/// A file's bytes; IOError "cannot open image file '<path>'".
std::vector<uint8_t> read_file(const std::filesystem::path& path);

/// A readable reason for bytes no decoder can read: names formats tl does not support (TIFF, WebP), else the
/// failing decoder's reason. Call right after the failed info/decode (the reason is per thread).
std::string undecodable_reason(const std::vector<uint8_t>& bytes);

/// PIL's DecompressionBombError, raised before anything is decoded.
void check_pixel_limit(int64_t width, int64_t height, const std::string& name);

/// Decodes the bytes of an image file into its own channels (1, 2, 3 or 4); `name` ("image file 'cat.jpg'")
/// starts every error: empty, over 2 GiB, over the pixel limit, damaged (integrity.hpp), undecodable.
Image decode_bytes(const std::vector<uint8_t>& bytes, const std::string& name);

/// Why a file's header cannot be read (as on_bad_image = "skip" checks files at listing time): "empty (0
/// bytes)", "not a decodable image (...)", "TIFF images are not supported ...", or nothing when it can be.
/// Reads the header only; IOError when the file cannot be opened.
std::optional<std::string> unreadable_header(const std::string& path);

}  // namespace detail
}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/decode-inl.hpp>
#endif
