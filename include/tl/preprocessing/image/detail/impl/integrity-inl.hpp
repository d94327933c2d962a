#pragma once
#include <tl/preprocessing/image/detail/integrity.hpp>

#include <algorithm>
#include <array>
#include <climits>

namespace tl::preprocessing::image::detail {

TL_INLINE uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

TL_INLINE uint32_t big_endian32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

TL_INLINE std::optional<std::string> png_damage(const std::vector<uint8_t>& b) {
  for (size_t at = 8; at + 12 <= b.size();) {
    const size_t length = big_endian32(&b[at]);
    if (length > b.size() - at - 12) return "truncated";
    const std::string type(b.begin() + static_cast<std::ptrdiff_t>(at + 4), b.begin() + static_cast<std::ptrdiff_t>(at + 8));
    if (crc32(&b[at + 4], length + 4) != big_endian32(&b[at + 8 + length])) return "corrupt (bad CRC in chunk " + type + ")";
    if (type == "IEND") return std::nullopt;
    at += 12 + length;
  }
  return "truncated";
}

/// The tables a JPEG defines as its segments go by, and whether each scan uses only defined ones: stb_image 2.27
/// (Debian 12's) decodes with whatever its uninitialised tables hold otherwise, reading outside its arrays.
class JpegTables {
 public:
  /// A DHT segment's body [at, end): false when a table declares more than 256 codes (stb 2.27 then writes past
  /// its arrays; the check came in 2.28) or runs past the segment.
  bool define_huffman(const std::vector<uint8_t>& b, size_t at, size_t end) {
    while (at < end) {
      if (at + 17 > end) return false;
      size_t codes = 0;
      for (size_t i = 1; i <= 16; ++i) codes += b[at + i];
      if (codes > 256) return false;
      if ((b[at] >> 4) <= 1 && (b[at] & 15) <= 3) huffman_[b[at] >> 4][b[at] & 15] = true;
      at += 17 + codes;
    }
    return true;
  }
  /// A DQT segment's body [at, end).
  void define_quantization(const std::vector<uint8_t>& b, size_t at, size_t end) {
    for (; at < end; at += 1 + ((b[at] >> 4) ? 128 : 64)) quantization_[b[at] & 3] = true;
  }
  /// A start-of-frame segment's body: whether it is progressive, and each component's id and quantization table.
  void frame(uint8_t marker, const std::vector<uint8_t>& b, size_t at, size_t end) {
    progressive_ = marker == 0xC2;
    components_.clear();
    for (size_t c = at + 6; at + 5 < end && c + 2 < end && components_.size() < b[at + 5]; c += 3)
      components_.push_back({b[c], b[c + 2]});
  }
  /// A start-of-scan segment's body: whether every table the scan decodes with is defined.
  bool scan_ready(const std::vector<uint8_t>& b, size_t at, size_t end) const {
    const size_t count = at < end ? b[at] : 0;
    if (at + 1 + 2 * count + 3 > end) return true;  // stb rejects a short scan header itself
    const uint8_t first = b[at + 1 + 2 * count], last = b[at + 2 + 2 * count], high = b[at + 3 + 2 * count] >> 4;
    for (size_t i = 0; i < count; ++i) {
      const uint8_t id = b[at + 1 + 2 * i], dc = b[at + 2 + 2 * i] >> 4, ac = b[at + 2 + 2 * i] & 15;
      if (dc > 3 || ac > 3) return true;  // stb rejects these itself
      const bool uses_dc = first == 0 && !(progressive_ && high != 0), uses_ac = last != 0;
      if ((uses_dc && !huffman_[0][dc]) || (uses_ac && !huffman_[1][ac])) return false;
      for (const auto& [component, table] : components_)
        if (component == id && table <= 3 && !quantization_[table]) return false;
    }
    return true;
  }

 private:
  bool huffman_[2][4] = {};
  bool quantization_[4] = {};
  bool progressive_ = false;
  std::vector<std::pair<uint8_t, uint8_t>> components_;  // (id, quantization table)
};

TL_INLINE size_t skip_fill(const std::vector<uint8_t>& b, size_t at) {
  while (at < b.size() && b[at] == 0xFF) ++at;
  return at;
}

TL_INLINE size_t jpeg_start(const std::vector<uint8_t>& b) {
  const size_t at = skip_fill(b, 0);
  return at > 0 && at + 1 < b.size() && b[at] == 0xD8 ? at + 1 : 0;
}

TL_INLINE size_t entropy_coded_end(const std::vector<uint8_t>& b, size_t at) {
  while (at < b.size()) {
    if (b[at] != 0xFF) { ++at; continue; }
    const size_t next = skip_fill(b, at);
    if (next < b.size() && b[next] != 0x00 && (b[next] < 0xD0 || b[next] > 0xD7)) return next - 1;
    at = next + 1;
  }
  return at;
}

TL_INLINE std::optional<std::string> jpeg_damage(const std::vector<uint8_t>& b, size_t at) {
  JpegTables tables;
  while (at < b.size()) {
    if (b[at] != 0xFF) { ++at; continue; }  // padding between segments: stb skips it too
    at = skip_fill(b, at);
    if (at >= b.size()) break;
    const uint8_t marker = b[at++];
    if (marker == 0xD9) return std::nullopt;
    if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no segment follows
    if (at + 2 > b.size()) break;
    const size_t end = at + (size_t(b[at]) << 8 | b[at + 1]), body_end = std::min(end, b.size());
    if (marker == 0xC4 && !tables.define_huffman(b, at + 2, body_end)) return "corrupt (bad Huffman table)";
    if (marker == 0xDB) tables.define_quantization(b, at + 2, body_end);
    if (marker >= 0xC0 && marker <= 0xC2) tables.frame(marker, b, at + 2, body_end);
    if (marker == 0xDA && !tables.scan_ready(b, at + 2, body_end)) return "corrupt (a scan uses an undefined table)";
    at = marker == 0xDA ? entropy_coded_end(b, end) : end;
  }
  return "truncated";
}

TL_INLINE bool is_png(const std::vector<uint8_t>& b) {
  static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return b.size() >= 8 && std::equal(signature, signature + 8, b.begin());
}

TL_INLINE std::optional<std::pair<int64_t, int64_t>> png_size(const std::vector<uint8_t>& b) {
  if (!is_png(b) || b.size() < 24) return std::nullopt;
  const int64_t width = big_endian32(&b[16]), height = big_endian32(&b[20]);
  if (width > INT32_MAX || height > INT32_MAX) return std::nullopt;
  return std::pair{width, height};
}

TL_INLINE std::optional<std::string> file_damage(const std::vector<uint8_t>& b) {
  if (is_png(b)) return png_damage(b);
  if (const size_t start = jpeg_start(b)) return jpeg_damage(b, start);
  return std::nullopt;
}

}  // namespace tl::preprocessing::image::detail
