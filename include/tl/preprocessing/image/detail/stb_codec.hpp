#pragma once
// Decoding unit, the stb_image decoder (and save_img's stb_image_write encoders): the only code that sees tl's
// private copy of stb (stb.hpp, included by impl/stb_codec-inl.hpp alone). In compiled mode stb is compiled once,
// into src/preprocessing.cpp; in header-only mode into every translation unit that includes tl's image headers.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/image_info.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tl::preprocessing::image::detail {

/// stbi_info_from_memory: size and channels from the header, or nothing.
std::optional<ImageInfo> stb_info(const std::vector<uint8_t>& bytes);

/// stbi_info on a file: reads the header only.
std::optional<ImageInfo> stb_file_info(const std::string& path);

/// stbi_load_from_memory in the file's own channels; IOError "<name> is corrupt or truncated (<stb's reason>)".
Image stb_decode(const std::vector<uint8_t>& bytes, const std::string& name);

/// stbi_failure_reason(): why this thread's last stb call failed, or nullptr.
const char* stb_failure_reason();

/// stb_image_write's writers; false when the file cannot be written. JPEG at `quality` (1-100).
bool stb_write_png(const std::string& path, const Image& img);
bool stb_write_jpg(const std::string& path, const Image& img, int quality);
bool stb_write_bmp(const std::string& path, const Image& img);
bool stb_write_tga(const std::string& path, const Image& img);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/stb_codec-inl.hpp>
#endif
