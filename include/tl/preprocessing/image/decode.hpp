#pragma once
// Decoding unit, entry points: a file's bytes to the image PIL's Image.open + load would give (its mode, palette
// and transparency), with the decompression-bomb guard and errors that name the file and the reason. The parts:
// format sniffing and the per-format decoders (detail/decoders.hpp), the image they produce
// (detail/decoded_image.hpp). Conversion and resizing are load_img's (load_img.hpp).
#include <tl/core/config.hpp>
#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cstddef>
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

/// A file's bytes, read in one call; IOError "cannot open image file '<path>'".
std::vector<uint8_t> read_file(const std::filesystem::path& path);

/// A decoder's refusal as the end of an IOError message: "is truncated", "is corrupt (...)", "not a decodable
/// image (...)", "is not supported (...)", or the decompression-bomb message.
std::string refusal_text(const DecodeFailure& failure);

/// Image.open + load of a file's bytes as PIL does it (the format from the bytes, never the name). `name`
/// ("image file 'cat.jpg'") starts every IOError: empty, TIFF or WebP, over the pixel limit, unidentified,
/// truncated, corrupt, unsupported, out of memory.
DecodedImage decode_image(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options = {});

/// Why a file cannot be opened as an image (as on_bad_image = "skip" checks files at listing time): "empty (0
/// bytes)", "not a decodable image (...)", "TIFF images are not supported ...", ..., or nothing when Image.open
/// would succeed. Reads the first 64 KiB (the whole file only when the header goes on beyond them); IOError when
/// the file cannot be opened.
std::optional<std::string> unreadable_header(const std::string& path);

/// A cap on a progressive JPEG's scans (0: none, PIL's behaviour), against CPU bombs; the fuzz target sets it.
void set_max_jpeg_scans(long scans);

}  // namespace detail
}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/decode-inl.hpp>
#endif
