#pragma once
#include <tl/preprocessing/image/decode.hpp>

#include <tl/preprocessing/image/detail/decoders.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <new>
#include <system_error>

namespace tl::preprocessing::image {

TL_INLINE void set_max_image_pixels(int64_t pixels) { detail::max_image_pixels_limit() = pixels; }
TL_INLINE int64_t max_image_pixels() { return detail::max_image_pixels_limit(); }

namespace detail {

TL_INLINE std::atomic<long>& max_jpeg_scans_limit() {
  static std::atomic<long> limit{0};
  return limit;
}

TL_INLINE void set_max_jpeg_scans(long scans) { max_jpeg_scans_limit() = scans; }

TL_INLINE std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("cannot open image file '" + path.string() + "'");
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);  // fails for directories, FIFOs...: read as a stream
  if (ec) return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() == size) bytes.insert(bytes.end(), std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());  // grown since
  return bytes;
}

TL_INLINE std::string refusal_text(const DecodeFailure& failure) {
  const std::string why = failure.what();
  switch (failure.kind) {
    case DecodeFailure::truncated: return why == "image file is truncated" ? "is truncated" : "is truncated (" + why + ")";
    case DecodeFailure::corrupt: return "is corrupt (" + why + ")";
    case DecodeFailure::unsupported: return "is not supported (" + why + ")";
    case DecodeFailure::too_large: return why;
    case DecodeFailure::unidentified: break;
  }
  return "not a decodable image (" + why + ")";
}

namespace decode_detail {
/// The refusal of a format tl does not read, or nothing.
inline std::optional<std::string> unsupported_format(ImageFormat format) {
  if (format == ImageFormat::tiff) return "TIFF images are not supported (convert them to PNG)";
  if (format == ImageFormat::webp) return "WebP images are not supported (convert them to PNG)";
  return std::nullopt;
}
/// name + text: "image file 'a.png' is truncated", "image file 'a.png': not a decodable image (...)".
inline std::string with_name(const std::string& name, const std::string& text) {
  return name + (text.rfind("is ", 0) == 0 ? " " : ": ") + text;
}
}  // namespace decode_detail

TL_INLINE DecodedImage decode_image(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options) {
  if (size == 0) throw IOError(name + " is empty (0 bytes)");
  const ImageFormat format = sniff_format(data, size);
  if (const auto why = decode_detail::unsupported_format(format)) throw IOError(name + ": " + *why);
  DecodeOptions o = options;
  if (o.max_jpeg_scans == 0) o.max_jpeg_scans = max_jpeg_scans_limit();
  try {
    return decoder_for(format)->decode(data, size, o);
  } catch (const DecodeFailure& e) {
    throw IOError(decode_detail::with_name(name, refusal_text(e)));
  } catch (const std::bad_alloc&) {
    throw IOError(name + " is too large to decode (out of memory)");
  }
}

TL_INLINE std::optional<std::string> unreadable_header(const std::string& path) {
  constexpr size_t kPrefix = 65536;
  std::vector<uint8_t> head(kPrefix);
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IOError("cannot open image file '" + path + "'");
    head.resize(static_cast<size_t>(in.read(reinterpret_cast<char*>(head.data()), kPrefix).gcount()));
  }
  if (head.empty()) return "empty (0 bytes)";
  const ImageFormat format = sniff_format(head.data(), head.size());
  if (const auto why = decode_detail::unsupported_format(format)) return *why;
  const Decoder decoder = *decoder_for(format);
  for (bool whole = head.size() < kPrefix;; whole = true) {
    try {
      decoder.open(head.data(), head.size());
      return std::nullopt;
    } catch (const DecodeFailure& e) {
      if (whole) {
        std::string text = refusal_text(e);
        return text.rfind("is ", 0) == 0 ? text.substr(3) : text;
      }
    }
    head = read_file(path);  // the header goes on beyond the first 64 KiB
  }
}

}  // namespace detail
}  // namespace tl::preprocessing::image
