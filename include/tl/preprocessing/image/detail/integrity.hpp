#pragma once
// Decoding unit, integrity checks: what PIL checks and stb_image skips (a PNG chunk whose CRC does not match, a
// JPEG cut before its end-of-image marker), and the JPEG tables stb_image 2.27 would read uninitialised. stb
// decodes such files into an image (a cut JPEG comes back grey at the bottom), which would reach training as
// silent garbage; tl reports them as PIL does. decode_bytes (decode.hpp) runs file_damage before any decoder.
#include <tl/core/config.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl::preprocessing::image::detail {

/// zlib's CRC-32 of `size` bytes, continuing from `crc`.
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

/// The big-endian 32-bit number at p.
uint32_t big_endian32(const uint8_t* p);

/// Whether the bytes start with PNG's 8-byte signature.
bool is_png(const std::vector<uint8_t>& b);

/// (width, height) from a PNG's IHDR chunk, or nothing when the bytes do not start like a PNG or the size is
/// not a valid PNG size (each at most 2^31 - 1, so that their product fits in int64_t).
std::optional<std::pair<int64_t, int64_t>> png_size(const std::vector<uint8_t>& b);

/// Why a PNG's chunk list is damaged ("truncated", "corrupt (bad CRC in chunk IDAT)"), or nothing when whole.
std::optional<std::string> png_damage(const std::vector<uint8_t>& b);

/// Skips a run of FF fill bytes at `at`; the position of the first other byte (or the end).
size_t skip_fill(const std::vector<uint8_t>& b, size_t at);

/// Where a JPEG's segments start: after its start-of-image marker FF D8, which stb (like libjpeg) also finds
/// behind extra FF fill bytes; 0 when the bytes are not a JPEG.
size_t jpeg_start(const std::vector<uint8_t>& b);

/// The end of the entropy-coded data starting at `at`, read as stb reads it: FF, fill, then 00 (a stuffed FF) or
/// a restart marker continue it; any other byte is the next marker, and the FF before it is returned.
size_t entropy_coded_end(const std::vector<uint8_t>& b, size_t at);

/// Why a JPEG is damaged ("truncated" before its end-of-image marker FF D9, "corrupt (...)"), or nothing. Its
/// segments from `at` (jpeg_start) are walked as stb_image walks them, so that every Huffman table stb would
/// build is checked first.
std::optional<std::string> jpeg_damage(const std::vector<uint8_t>& b, size_t at);

/// PIL's reason to refuse the bytes of a PNG or JPEG file, or nothing when they are whole (other formats: nothing).
std::optional<std::string> file_damage(const std::vector<uint8_t>& b);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/integrity-inl.hpp>
#endif
