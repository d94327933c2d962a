#pragma once
// MD5 (RFC 1321) and SHA-256 (FIPS 180-4), enough to check downloaded files as Keras's `validate_file` does,
// without depending on OpenSSL.
#include <tl/core/errors.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tl::utils::detail {

/// The 64-byte block buffering both hashes share; `Derived::compress(block)` processes one block.
template <class Derived, bool BigEndianLength>
class BlockHash {
 public:
  void update(const void* data, size_t size) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    bit_count_ += uint64_t(size) * 8;
    for (size_t i = 0; i < size; ++i) {
      block_[used_++] = bytes[i];
      if (used_ == 64) {
        static_cast<Derived*>(this)->compress(block_.data());
        used_ = 0;
      }
    }
  }

 protected:
  /// Appends the padding (0x80, zeros, the 64-bit message length) that ends the message.
  void pad() {
    const uint64_t bits = bit_count_;
    const uint8_t one = 0x80, zero = 0;
    update(&one, 1);
    while (used_ != 56) update(&zero, 1);
    for (int i = 0; i < 8; ++i) block_[56 + i] = uint8_t(bits >> (BigEndianLength ? 56 - 8 * i : 8 * i));
    static_cast<Derived*>(this)->compress(block_.data());
  }
  static uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
  static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
  static std::string hex(const std::vector<uint8_t>& digest) {
    std::string out;
    char buf[3];
    for (uint8_t b : digest) {
      std::snprintf(buf, sizeof buf, "%02x", b);
      out += buf;
    }
    return out;
  }

 private:
  std::array<uint8_t, 64> block_{};
  size_t used_ = 0;
  uint64_t bit_count_ = 0;
};

/// MD5, as `hashlib.md5()`: update() then hexdigest().
class Md5 : public BlockHash<Md5, false> {
 public:
  std::string hexdigest() {
    pad();
    std::vector<uint8_t> digest;
    for (uint32_t word : h_)
      for (int i = 0; i < 4; ++i) digest.push_back(uint8_t(word >> (8 * i)));
    return hex(digest);
  }
  void compress(const uint8_t* block) {
    static constexpr int shifts[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                       5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                       4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                       6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    uint32_t m[16];
    for (int i = 0; i < 16; ++i)
      m[i] = uint32_t(block[4 * i]) | uint32_t(block[4 * i + 1]) << 8 | uint32_t(block[4 * i + 2]) << 16 |
             uint32_t(block[4 * i + 3]) << 24;
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3];
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      if (i < 16) f = (b & c) | (~b & d), g = i;
      else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
      else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) % 16;
      else f = c ^ (b | ~d), g = (7 * i) % 16;
      f += a + sine_table()[i] + m[g];
      a = d, d = c, c = b;
      b += rotl(f, shifts[i]);
    }
    h_[0] += a, h_[1] += b, h_[2] += c, h_[3] += d;
  }

 private:
  // K[i] = floor(2^32 * |sin(i + 1)|), computed as the RFC defines it.
  static const std::array<uint32_t, 64>& sine_table() {
    static const auto table = [] {
      std::array<uint32_t, 64> k{};
      for (int i = 0; i < 64; ++i) k[i] = uint32_t(uint64_t(4294967296.0 * std::abs(std::sin(double(i + 1)))));
      return k;
    }();
    return table;
  }
  std::array<uint32_t, 4> h_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
};

/// SHA-256, as `hashlib.sha256()`: update() then hexdigest().
class Sha256 : public BlockHash<Sha256, true> {
 public:
  std::string hexdigest() {
    pad();
    std::vector<uint8_t> digest;
    for (uint32_t word : h_)
      for (int i = 3; i >= 0; --i) digest.push_back(uint8_t(word >> (8 * i)));
    return hex(digest);
  }
  void compress(const uint8_t* block) {
    static constexpr uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = uint32_t(block[4 * i]) << 24 | uint32_t(block[4 * i + 1]) << 16 | uint32_t(block[4 * i + 2]) << 8 |
             uint32_t(block[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto v = h_;  // a..h
    for (int i = 0; i < 64; ++i) {
      const uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
      const uint32_t choose = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const uint32_t t1 = v[7] + s1 + choose + k[i] + w[i];
      const uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
      const uint32_t majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      for (int j = 7; j > 0; --j) v[j] = v[j - 1];
      v[4] += t1;
      v[0] = t1 + s0 + majority;
    }
    for (int i = 0; i < 8; ++i) h_[i] += v[i];
  }

 private:
  std::array<uint32_t, 8> h_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
};

/// Keras's `validate_file` choice of hash: "sha256", or "auto" with a 64-character hash, means SHA-256; else MD5.
inline std::string resolve_hash_algorithm(const std::string& algorithm, const std::string& file_hash) {
  return algorithm == "sha256" || (algorithm == "auto" && file_hash.size() == 64) ? "sha256" : "md5";
}

/// Keras's `_hash_file`: the hex digest of a file with "md5" or "sha256".
inline std::string hash_file(const std::filesystem::path& path, const std::string& algorithm) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("Unable to read " + path.string() + " to check its hash");
  Md5 md5;
  Sha256 sha256;
  std::vector<char> chunk(65535);
  while (in.read(chunk.data(), std::streamsize(chunk.size())) || in.gcount() > 0) {
    if (algorithm == "sha256") sha256.update(chunk.data(), size_t(in.gcount()));
    else md5.update(chunk.data(), size_t(in.gcount()));
  }
  return algorithm == "sha256" ? sha256.hexdigest() : md5.hexdigest();
}

}  // namespace tl::utils::detail
